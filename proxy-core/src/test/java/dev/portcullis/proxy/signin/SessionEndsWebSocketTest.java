package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A WebSocket opened through the proxy is closed when its session is revoked, and not before. */
class SessionEndsWebSocketTest {
    private ServerSocket upstream;
    private Thread upstreamThread;
    private SignInFixture fixture;

    @BeforeEach
    void start() throws Exception {
        upstream = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        upstreamThread = new Thread(this::serveUpgradesAndEcho, "ws-upstream");
        upstreamThread.setDaemon(true);
        upstreamThread.start();
        fixture = SignInFixture.startWithRoutes("""
                  - from: http://ws.test:PORT
                    to: http://127.0.0.1:%d
                    allow_websockets: true
                    allowed_users: [alice@example.com]
                """.formatted(upstream.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        fixture.close();
        upstream.close();
    }

    @Test
    void signingOutClosesTheWebSocket() throws Exception {
        SignInClient browser = new SignInClient(fixture.port);
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(browser.open(fixture.url("ws", "/.pomerium/")).status()).isEqualTo(200);
        String cookie = browser.cookies("ws.test").get("_pomerium");

        try (Socket socket = new Socket("127.0.0.1", fixture.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /socket HTTP/1.1\r\nHost: ws.test:" + fixture.port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Cookie: _pomerium=" + cookie + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101");
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");

            assertThat(browser.follow(fixture.url("ws", "/.pomerium/sign_out"))).isNotEmpty();
            long signedOut = System.nanoTime();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                read = -2;
            }
            assertThat(read).as("the connection is closed after sign-out").isEqualTo(-1);
            assertThat((System.nanoTime() - signedOut) / 1_000_000).as("within the 5 s check interval").isLessThan(7_000);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Answers any request with 101 and then echoes bytes: enough of a WebSocket server for a byte pipe. */
    private void serveUpgradesAndEcho() {
        while (!upstream.isClosed()) {
            try {
                Socket connection = upstream.accept();
                Thread echo = new Thread(() -> {
                    try (connection) {
                        InputStream in = connection.getInputStream();
                        readHead(in);
                        OutputStream out = connection.getOutputStream();
                        out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        byte[] buffer = new byte[1024];
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the test closed it
                    }
                }, "ws-echo");
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
