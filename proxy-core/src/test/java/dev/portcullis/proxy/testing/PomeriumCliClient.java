package dev.portcullis.proxy.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * What {@code pomerium-cli tcp} does, byte for byte as its source (pomerium/cli: authclient, tunnel)
 * has it. Signing in: it listens on {@code 127.0.0.1:<port>}, fetches
 * {@code /.pomerium/api/v1/login?pomerium_redirect_uri=http://127.0.0.1:<port>} on the route's host
 * (no cookie, no {@code Accept}), opens the URL it answers in the browser, and takes the token from
 * the {@code pomerium_jwt} query parameter of the browser's last request. Tunnelling: over TLS with
 * ALPN {@code http/1.1} and the route's host as SNI, {@code CONNECT host:port HTTP/1.1} with
 * {@code Host: host:port} and {@code Authorization: Pomerium <token>}; 200 opens the pipe, 301/302/
 * 307/308/401 start the sign-in, 403 means the user is not allowed.
 */
public final class PomeriumCliClient {
    private final int proxyPort;
    private final String proxyHost;

    /**
     * @param proxyPort the proxy's port on 127.0.0.1
     * @param proxyHost the route's host name, as the cli derives it from {@code tcp+https://host:port}
     */
    public PomeriumCliClient(int proxyPort, String proxyHost) {
        this.proxyPort = proxyPort;
        this.proxyHost = proxyHost;
    }

    /**
     * Signs in as the cli does; {@code browser} plays the person's browser (cookies, redirects), and
     * the identity provider signs in whoever the test set up next. Returns the token.
     */
    public String signIn(SignInClient browser) throws IOException, InterruptedException {
        CompletableFuture<String> token = new CompletableFuture<>();
        HttpServer local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/", exchange -> {
            String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
            Optional<String> jwt = parameter(query, "pomerium_jwt");
            byte[] body = (jwt.isPresent() ? "login complete, you may close this page" : "not found")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(jwt.isPresent() ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            jwt.ifPresent(token::complete);
        });
        local.start();
        try {
            String redirect = "http://127.0.0.1:" + local.getAddress().getPort();
            SignInClient cli = new SignInClient(proxyPort).overTls().accept(null);
            // the browser URL without the port, as the cli makes it (https://host:443 → https://host)
            SignInClient.Answer login = cli.get("https://" + proxyHost
                    + "/.pomerium/api/v1/login?pomerium_redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8));
            if (login.status() != 200) {
                throw new AssertionError("the login API answered " + login.status() + ": " + login.body());
            }
            browser.open(login.body().strip());
            return token.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no token reached the cli's listener", e);
        } finally {
            local.stop(0);
        }
    }

    /** A tunnel attempt: the proxy's answer, and the connection, open past a {@code 200}. */
    public record Tunnel(int status, Map<String, String> headers, SSLSocket socket) implements AutoCloseable {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public void write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** Reads exactly {@code count} bytes. */
        public byte[] read(int count) throws IOException {
            return socket.getInputStream().readNBytes(count);
        }

        /** Whether the proxy closes the tunnel (end of stream) before sending anything more. */
        public boolean closed() throws IOException {
            try {
                return socket.getInputStream().read() < 0;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** {@code CONNECT destination} (e.g. {@code ssh.example.com:22}) with {@code token}, or none when null. */
    public Tunnel connect(String destination, String token) throws IOException, GeneralSecurityException {
        return send("CONNECT " + destination + " HTTP/1.1\r\n"
                + "Host: " + destination + "\r\n"
                + "User-Agent: Go-http-client/1.1\r\n"
                + (token == null ? "" : "Authorization: Pomerium " + token + "\r\n")
                + "\r\n");
    }

    /** Sends {@code request} as written (a head, and whatever follows it) and reads the answer's head. */
    public Tunnel send(String request) throws IOException, GeneralSecurityException {
        SSLSocket socket = TestTls.connect(proxyPort, proxyHost);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Tunnel(status, headers, socket);
    }

    /** The response head, up to and without the blank line; nothing after it is consumed. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the proxy closed before its answer's head was complete: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static Optional<String> parameter(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
