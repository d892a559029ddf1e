package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RawConnection;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a request's body is framed (RFC 9112 §6, §7.1), as a client and the upstream see it: one
 * reading only; anything that could be read two ways is a 400 page and the connection closes,
 * and the upstream never receives a cut-short request as if it were whole.
 */
class RequestFramingTest {
    private static TestUpstream upstream;
    private static RawUpstream rawUpstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        rawUpstream = new RawUpstream();
        proxy = RunningProxy.start("""
                routes:
                  - from: https://app.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://raw.example.com
                    to: http://127.0.0.1:%d
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url(), rawUpstream.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        upstream.close();
        rawUpstream.close();
    }

    private static String chunkedPost(String chunks) {
        return "POST /upload HTTP/1.1\r\nHost: app.example.com\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
    }

    private static void assertRefusedWithAPage(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).containsIgnoringCase("x-request-id").contains("Bad request")
                .doesNotContain("Exception").doesNotContain("HTTP/1.1 200");
        assertThat(answer.closed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x5", "-5", "+5", "10000000000000005", "", " 5", "5 ", "5_", "g"})
    void aChunkSizeThatIsNotPlainHexIs400AndTheRestIsNotRead(String size) throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), chunkedPost(size + "\r\nhello\r\n0\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: app.example.com\r\n\r\n"));
        assertRefusedWithAPage(answer);
        assertThat(upstream.requests()).extracting(TestUpstream.Recorded::rawPath).doesNotContain("/smuggled");
    }

    @Test
    void aMalformedChunkAfterAGoodOneIs400NotAShortBody() throws Exception {
        assertRefusedWithAPage(RawHttp.send(proxy.port(), chunkedPost("5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n")));
        assertRefusedWithAPage(RawHttp.send(proxy.port(), chunkedPost("5\r\nhelloXX\r\n0\r\n\r\n")));
        assertRefusedWithAPage(RawHttp.send(proxy.port(), chunkedPost("5\nhello\n0\n\n")));
    }

    @Test
    void chunkExtensionsAndSixteenDigitSizesAreRead() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            connection.send(chunkedPost("5 ;name=value\r\nhello\r\n0000000000000003\r\nabc\r\n0;last\r\n\r\n"));
            RawConnection.Response response = connection.next();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("8");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "+5", "-5", " 5 5", "5, 5", "5\r\nContent-Length: 5", "5\r\nContent-Length: 6",
            "5\r\nTransfer-Encoding: chunked"})
    void aContentLengthThatIsNotOneNumberIs400(String value) throws Exception {
        assertRefusedWithAPage(RawHttp.send(proxy.port(),
                "POST /upload HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: " + value + "\r\n\r\nhello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "chunked, gzip", "chunked\r\nTransfer-Encoding: chunked", "xchunked", "identity"})
    void aTransferEncodingThatDoesNotEndInOneChunkedIs400(String value) throws Exception {
        assertRefusedWithAPage(RawHttp.send(proxy.port(), "POST /upload HTTP/1.1\r\nHost: app.example.com\r\n"
                + "Transfer-Encoding: " + value + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
    }

    @Test
    void transferEncodingOnHttp10Is400() throws Exception {
        assertRefusedWithAPage(RawHttp.send(proxy.port(),
                "POST /upload HTTP/1.0\r\nHost: app.example.com\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
    }

    @Test
    void theUpstreamSeesItsConnectionCloseInsteadOfARequestCutShort() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: raw.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n");
            assertThat(rawUpstream.firstChunkArrived.await(10, TimeUnit.SECONDS)).isTrue();
            connection.send("0x5\r\nworld\r\n0\r\n\r\n");
            RawConnection.Response response = connection.next();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closesWithin(Duration.ofSeconds(5))).isTrue();
        }
        String received = rawUpstream.received.get(10, TimeUnit.SECONDS);
        assertThat(received).startsWith("POST /upload HTTP/1.1").contains("hello").doesNotContain("world")
                .doesNotEndWith("0\r\n\r\n");
    }

    /** An upstream that records the bytes of its first connection until the proxy closes it, and never answers. */
    private static final class RawUpstream implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        final CountDownLatch firstChunkArrived = new CountDownLatch(1);
        final CompletableFuture<String> received = new CompletableFuture<>();

        RawUpstream() throws IOException {
            Thread thread = new Thread(this::record, "raw-upstream");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void record() {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes.write(buffer, 0, n);
                    if (bytes.toString(StandardCharsets.ISO_8859_1).contains("hello")) {
                        firstChunkArrived.countDown();
                    }
                }
                received.complete(bytes.toString(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
