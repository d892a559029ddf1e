package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Keep-alive reuse of upstream connections, failover between endpoints, and weighted balancing. */
class UpstreamConnectionsTest {

    @Test
    void sequentialRequestsReuseOneUpstreamConnection() throws Exception {
        try (TestUpstream upstream = new TestUpstream("up");
                RunningProxy proxy = RunningProxy.start("""
                        routes:
                          - from: https://app.example.com
                            to: %s
                            allow_public_unauthenticated_access: true
                        """.formatted(upstream.url()))) {
            for (int i = 0; i < 20; i++) {
                assertThat(proxy.get("app.example.com", "/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(upstream.requests().stream().map(TestUpstream.Recorded::remotePort).distinct().count())
                    .as("upstream connections used for 20 sequential requests").isEqualTo(1);
        }
    }

    @Test
    void aConnectionTheUpstreamClosedWhileIdleIsReplacedTransparently() throws Exception {
        try (OneShotUpstream upstream = new OneShotUpstream();
                RunningProxy proxy = RunningProxy.start("""
                        routes:
                          - from: https://app.example.com
                            to: http://127.0.0.1:%d
                            allow_public_unauthenticated_access: true
                        """.formatted(upstream.port()))) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = proxy.get("app.example.com", "/");
                assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("one");
            }
            assertThat(upstream.connections.get()).isEqualTo(5);
        }
    }

    @Test
    void aDeadEndpointFailsOverToTheNextOne() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (TestUpstream live = new TestUpstream("live");
                RunningProxy proxy = RunningProxy.start("""
                        routes:
                          - from: https://app.example.com
                            to:
                              - http://127.0.0.1:%d
                              - %s
                            allow_public_unauthenticated_access: true
                        """.formatted(deadPort, live.url()))) {
            for (int i = 0; i < 10; i++) {
                assertThat(proxy.get("app.example.com", "/").statusCode()).isEqualTo(200);
            }
            assertThat(live.requests()).hasSize(10);
        }
    }

    @Test
    void weightsShareRequestsInProportion() throws Exception {
        try (TestUpstream heavy = new TestUpstream("heavy");
                TestUpstream light = new TestUpstream("light");
                RunningProxy proxy = RunningProxy.start("""
                        routes:
                          - from: https://app.example.com
                            to:
                              - "%s,3"
                              - "%s,1"
                            allow_public_unauthenticated_access: true
                        """.formatted(heavy.url(), light.url()))) {
            Map<String, Integer> counts = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < 40; i++) {
                String body = proxy.get("app.example.com", "/").body();
                counts.merge(json.readTree(body).get("upstream").asText(), 1, Integer::sum);
            }
            assertThat(counts).containsEntry("heavy", 30).containsEntry("light", 10);
        }
    }

    /** An upstream that answers one request per connection, claims keep-alive, then closes. */
    private static final class OneShotUpstream implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final AtomicInteger connections = new AtomicInteger();
        final Thread thread = new Thread(this::serve);

        OneShotUpstream() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    InputStream in = socket.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int c = in.read();
                        if (c < 0) break;
                        head.append((char) c);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\none"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
