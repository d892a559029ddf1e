package dev.portcullis.proxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection, plain or TLS, on which requests are sent one after the
 * other: for tests about what happens to a connection that stays open.
 */
public final class Http1Connection {
    private final OutputStream out;
    private final BufferedReader in;

    public Http1Connection(Socket socket) throws IOException {
        this.out = socket.getOutputStream();
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code GET /} for {@code host} and reads the whole answer; its status line. */
    public String get(String host) throws IOException {
        out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = in.readLine();
        int length = 0;
        for (String line; !(line = in.readLine()).isEmpty(); ) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        for (int read = 0; read < length; ) {
            read += in.read(new char[length - read], 0, length - read);
        }
        return status;
    }
}
