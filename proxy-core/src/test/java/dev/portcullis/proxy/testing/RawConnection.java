package dev.portcullis.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection on which bytes are written exactly as given (several pipelined requests in
 * one write, a head trickled byte by byte) and answers are read back one at a time, each framed by
 * its {@code Content-Length} or chunked coding: for tests about what a connection does between and
 * across requests.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** An answer as the client read it; header names in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public RawConnection(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Writes {@code text} (ISO-8859-1) in one write. */
    public RawConnection send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads the next whole answer; fails when the connection closes first. */
    public Response next() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("the connection closed before an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = requiredLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        String body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(requiredLine().split(";")[0].strip(), 16)) > 0; ) {
                chunks.write(in.readNBytes(size));
                requiredLine();
            }
            while (!requiredLine().isEmpty()) {
                // trailers
            }
            body = chunks.toString(StandardCharsets.ISO_8859_1);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
        return new Response(Integer.parseInt(statusLine.substring(9, 12)), headers, body);
    }

    /** Reads {@code count} answers in a row. */
    public List<Response> next(int count) throws IOException {
        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(next());
        }
        return answers;
    }

    /**
     * Whether the server closes the connection, sending nothing more, within {@code bound}. Returns
     * false as soon as a byte arrives, or when the bound passes with the connection open.
     */
    public boolean closesWithin(Duration bound) throws IOException {
        socket.setSoTimeout((int) bound.toMillis());
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /**
     * Whether the server closes the connection within {@code bound}, whatever it sends before (an
     * HTTP/2 server's SETTINGS, say); what it sends is discarded.
     */
    public boolean closesWithinWhateverItSends(Duration bound) throws IOException {
        long end = System.nanoTime() + bound.toNanos();
        byte[] buffer = new byte[4096];
        try {
            for (long left; (left = (end - System.nanoTime()) / 1_000_000) > 0; ) {
                socket.setSoTimeout((int) left);
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /** Writes {@code bytes} as they are, in one write. */
    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    private String requiredLine() throws IOException {
        String line = line();
        if (line == null) {
            throw new EOFException("the connection closed within an answer");
        }
        return line;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                return line.substring(0, end);
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
