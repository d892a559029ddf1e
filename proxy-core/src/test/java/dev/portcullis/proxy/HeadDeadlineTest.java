package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RawConnection;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code timeout_read} (1s here) as a client that sends slowly sees it: a head trickled in a byte at
 * a time is cut off about a second after its first byte, however it keeps the bytes coming, and so
 * is an HTTP/2 header block that never ends or a preface that never completes; a connection kept
 * alive between requests is not.
 */
class HeadDeadlineTest {
    private static final Duration BOUND = Duration.ofSeconds(6);
    private static TestUpstream upstream;
    private static RunningProxy proxy;
    private static ScheduledExecutorService trickler;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        trickler = Executors.newSingleThreadScheduledExecutor();
        proxy = RunningProxy.start("""
                timeout_read: 1s
                routes:
                  - from: https://app.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        trickler.shutdownNow();
        proxy.close();
        upstream.close();
    }

    /** Sends one byte of a header every 100 ms, for as long as the connection takes them. */
    private static void trickleHeader(RawConnection connection) {
        trickler.scheduleAtFixedRate(() -> {
            try {
                connection.send("X");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Test
    void aHeadTrickledAByteAtATimeIsCutOffAfterTimeoutRead() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            long start = System.nanoTime();
            connection.send("GET / HTTP/1.1\r\nHost: app.example.com\r\nX-Slow: ");
            trickleHeader(connection);
            assertThat(connection.closesWithin(BOUND)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void theSecondHeadOnAKeptAliveConnectionHasTheSameBound() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            assertThat(connection.send("GET /first HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next().status())
                    .isEqualTo(200);
            connection.send("GET /second HTTP/1.1\r\nHost: app.example.com\r\nX-Slow: ");
            trickleHeader(connection);
            assertThat(connection.closesWithin(BOUND)).isTrue();
        }
    }

    @Test
    void anHttp2HeaderBlockThatNeverEndsIsCutOffAfterTimeoutRead() throws Exception {
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] settings = {0, 0, 0, 0x4, 0, 0, 0, 0, 0};
        byte[] headersWithoutEnd = {0, 0, 1, 0x1, 0x1, 0, 0, 0, 1, (byte) 0x82};
        try (RawConnection connection = new RawConnection(proxy.port())) {
            connection.send(preface).send(settings).send(headersWithoutEnd);
            assertThat(connection.closesWithinWhateverItSends(BOUND)).isTrue();
        }
    }

    @Test
    void anHttp2PrefaceTrickledAByteAtATimeIsCutOffAfterTimeoutRead() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            connection.send("PRI");
            trickler.scheduleAtFixedRate(() -> {
                try {
                    connection.send(" ");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            assertThat(connection.closesWithinWhateverItSends(BOUND)).isTrue();
        }
    }

    @Test
    void theRedirectListenerBoundsAHeadToo() throws Exception {
        try (RunningProxy redirecting = RunningProxy.start("""
                timeout_read: 1s
                http_redirect_addr: 127.0.0.1:0
                routes:
                  - from: https://app.example.com
                    response: {status: 200, body: ok}
                    allow_public_unauthenticated_access: true
                """);
             RawConnection connection = new RawConnection(redirecting.server().redirectAddress().orElseThrow().getPort())) {
            connection.send("GET / HTTP/1.1\r\nHost: app.example.com\r\nX-Slow: ");
            trickleHeader(connection);
            assertThat(connection.closesWithin(BOUND)).isTrue();
        }
    }

    @Test
    void aKeptAliveConnectionWaitingForItsNextRequestStaysOpenPastTimeoutRead() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            assertThat(connection.send("GET /first HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next().status())
                    .isEqualTo(200);
            assertThat(connection.closesWithin(Duration.ofMillis(2500))).isFalse();
            assertThat(connection.send("GET /later HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next().status())
                    .isEqualTo(200);
        }
    }
}
