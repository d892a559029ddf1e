package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.proxy.testing.H2Client;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestTls.PemFiles;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 from the client's side: prior knowledge on cleartext, concurrent streams, bodies, and the 421 rule over TLS. */
class Http2Test {
    private static final int STREAMS = 3;

    @TempDir
    static Path dir;

    private static TestUpstream upstream;
    private static HttpServer barrier;
    private static ExecutorService barrierThreads;
    private static CountDownLatch allArrived;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("plain");
        startBarrier();
        String barrierUrl = "http://127.0.0.1:" + barrier.getAddress().getPort();
        proxy = RunningProxy.start("""
                routes:
                  - from: https://a.example.com
                    to: %s/a/
                    allow_public_unauthenticated_access: true
                  - from: https://b.example.com
                    to: %s/b/
                    allow_public_unauthenticated_access: true
                  - from: https://c.example.com
                    to: %s/c/
                    allow_public_unauthenticated_access: true
                  - from: https://plain.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(barrierUrl, barrierUrl, barrierUrl, upstream.url()));
    }

    /**
     * An upstream that holds every request until {@value #STREAMS} are in it at once (at most 5 s),
     * then answers each with its path and whether they met: proof the streams ran concurrently.
     */
    private static void startBarrier() throws Exception {
        allArrived = new CountDownLatch(STREAMS);
        barrierThreads = Executors.newCachedThreadPool();
        barrier = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        barrier.setExecutor(barrierThreads);
        barrier.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                allArrived.countDown();
                boolean met = allArrived.await(5, TimeUnit.SECONDS);
                byte[] body = (exchange.getRequestURI().getPath() + (met ? " together" : " alone"))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        barrier.start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
        barrier.stop(0);
        barrierThreads.shutdownNow();
    }

    @Test
    void concurrentStreamsOnOneCleartextConnectionAreEachRoutedByTheirAuthority() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            List<CompletableFuture<H2Client.Response>> responses = new ArrayList<>();
            for (String host : List.of("a", "b", "c")) {
                responses.add(client.sendAsync(HttpMethod.GET, host + ".example.com", "/meet", Map.of(), null));
            }
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<H2Client.Response> response : responses) {
                H2Client.Response r = response.get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                bodies.add(r.body());
            }
            assertThat(bodies).containsExactly("/a/meet together", "/b/meet together", "/c/meet together");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void requestAndResponseBodiesStreamOverHttp2() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            byte[] upload = new byte[300 * 1024];
            H2Client.Response uploaded = client.send(HttpMethod.POST, "plain.example.com", "/upload",
                    Map.of("content-type", "application/octet-stream"), upload);
            assertThat(uploaded.status()).isEqualTo(200);
            assertThat(uploaded.body()).isEqualTo(Integer.toString(upload.length));

            int size = 1024 * 1024; // 16 times the default stream window: flow control must work
            H2Client.Response download = client.get("plain.example.com", "/bytes/" + size);
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.body()).hasSize(size);
        }
    }

    @Test
    void theUpstreamSeesAnOrdinaryHttp11RequestWithoutHttp2Artifacts() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            H2Client.Response response = client.send(HttpMethod.GET, "plain.example.com", "/look?q=1",
                    Map.of("x-custom", "kept"), null);
            assertThat(response.status()).isEqualTo(200);
        }
        TestUpstream.Recorded seen = upstream.lastRequest();
        assertThat(seen.rawPath()).isEqualTo("/look?q=1");
        assertThat(seen.header("x-custom")).isEqualTo("kept");
        assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(seen.header("x-forwarded-host")).isEqualTo("plain.example.com");
        assertThat(seen.headers().keySet()).noneMatch(name -> name.startsWith("x-http2-") || name.startsWith(":"));
    }

    @Test
    void localAnswersWorkOnStreamsToo() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            H2Client.Response unknown = client.get("nobody.example.org", "/");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.headers().get("x-request-id")).isNotBlank();
            H2Client.Response ping = client.get("nobody.example.org", "/ping");
            assertThat(ping.status()).isEqualTo(200);
            assertThat(ping.body()).isEqualTo("OK\n");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aStreamTheClientCancelsClosesItsUpstreamConnectionAndSparesTheOthers() throws Exception {
        CompletableFuture<Long> upstreamClosed = new CompletableFuture<>();
        try (ServerSocket endless = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RunningProxy cancelling = RunningProxy.start("""
                     routes:
                       - from: https://endless.example.com
                         to: http://127.0.0.1:%d
                         allow_public_unauthenticated_access: true
                       - from: https://plain.example.com
                         to: %s
                         allow_public_unauthenticated_access: true
                     """.formatted(endless.getLocalPort(), upstream.url()));
             H2Client client = H2Client.cleartext(cancelling.port())) {
            Thread writer = new Thread(() -> streamUntilClosed(endless, upstreamClosed), "endless-upstream");
            writer.setDaemon(true);
            writer.start();

            assertThat(client.getAndCancel("endless.example.com", "/forever").get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(upstreamClosed.get(10, TimeUnit.SECONDS)).as("bytes written before the proxy closed").isPositive();

            H2Client.Response after = client.get("plain.example.com", "/after-cancel");
            assertThat(after.status()).isEqualTo(200);
            assertThat(client.isOpen()).isTrue();
        }
    }

    /** Answers one request with an endless chunked body; completes with the bytes written once a write fails. */
    private static void streamUntilClosed(ServerSocket listener, CompletableFuture<Long> closed) {
        long written = 0;
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            for (int matched = 0; matched < 4; ) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("request ended early");
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (written < (1L << 30)) {
                out.write(chunk);
                written += 0x4000;
            }
            closed.completeExceptionally(new AssertionError("1 GiB written and the connection still open"));
        } catch (IOException e) {
            closed.complete(written);
        }
    }

    @Test
    void aStreamForAHostTheConnectionsCertificateDoesNotCoverGets421() throws Exception {
        PemFiles wildcard = TestTls.write(dir, "b", SelfSignedCertificate.generate(List.of("*.b.example.test")));
        try (RunningProxy tls = RunningProxy.start("""
                certificate_file: %s
                certificate_key_file: %s
                routes:
                  - from: https://*.b.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://other.example.org
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(wildcard.certificate(), wildcard.key(), upstream.url(), upstream.url()));
             H2Client client = H2Client.tls(tls.port(), "x.b.example.test")) {
            assertThat(client.applicationProtocol()).isEqualTo("h2");
            int before = upstream.requests().size();

            H2Client.Response misdirected = client.get("other.example.org", "/coalesced");
            assertThat(misdirected.status()).isEqualTo(421);
            assertThat(upstream.requests()).hasSize(before);

            H2Client.Response covered = client.get("y.b.example.test", "/covered");
            assertThat(covered.status()).isEqualTo(200);
            assertThat(covered.body()).contains("\"path\":\"/covered\"");
            assertThat(client.isOpen()).isTrue();
        }
    }
}
