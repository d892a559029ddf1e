package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through with back-pressure: a 1 GiB body passes both ways while the proxy's
 * buffer memory stays small, and a client that stops reading stops the upstream too. The
 * client and upstream are JDK HTTP implementations, so every Netty buffer counted is the proxy's.
 */
class StreamingTest {
    private static final long GIB = 1L << 30;
    private static final long BUFFER_BOUND = 32L << 20;

    private static TestUpstream upstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        proxy = RunningProxy.start("""
                routes:
                  - from: https://big.example.com
                    to: %s
                    timeout: 120s
                    allow_public_unauthenticated_access: true
                timeout_read: 120s
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    private static long nettyMemory() {
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }

    /** Samples the proxy's buffer memory in the background while a transfer runs. */
    private static final class MemoryWatch implements AutoCloseable {
        final AtomicLong peak = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(nettyMemory(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        MemoryWatch() {
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void aGibibyteDownloadStreamsWithBoundedMemory() throws Exception {
        long received = 0;
        try (MemoryWatch watch = new MemoryWatch()) {
            HttpResponse<InputStream> response = proxy.client().send(proxy.request("big.example.com", "/bytes/" + GIB)
                    .timeout(java.time.Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[256 * 1024];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    received += n;
                }
            }
            watch.close();
            assertThat(received).isEqualTo(GIB);
            assertThat(watch.peak.get()).as("proxy buffer memory peak").isLessThan(BUFFER_BOUND);
        }
    }

    @Test
    void aGibibyteUploadStreamsWithBoundedMemory() throws Exception {
        try (MemoryWatch watch = new MemoryWatch()) {
            HttpRequest request = proxy.request("big.example.com", "/upload")
                    .timeout(java.time.Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(new ZeroBytes(GIB), GIB))
                    .build();
            HttpResponse<String> response = proxy.client().send(request, HttpResponse.BodyHandlers.ofString());
            watch.close();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Long.toString(GIB));
            assertThat(watch.peak.get()).as("proxy buffer memory peak").isLessThan(BUFFER_BOUND);
        }
    }

    @Test
    void aClientThatStopsReadingStopsTheUpstream() throws Exception {
        long before = upstream.bytesWritten();
        HttpResponse<InputStream> response = proxy.client().send(proxy.request("big.example.com", "/bytes/" + GIB)
                .timeout(java.time.Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            body.readNBytes(1 << 20);
            Thread.sleep(1500);
            long written = upstream.bytesWritten() - before;
            // Socket buffers on both sides hold a few MiB; without back-pressure the upstream would be far along.
            assertThat(written).as("bytes the upstream could write while the client paused").isLessThan(64L << 20);
            assertThat(nettyMemory()).isLessThan(BUFFER_BOUND);
        }
    }

    /** A request body of {@code size} zero bytes, produced on demand (honours the subscriber's demand). */
    private static final class ZeroBytes implements java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> {
        private final long size;

        ZeroBytes(long size) {
            this.size = size;
        }

        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            subscriber.onSubscribe(new java.util.concurrent.Flow.Subscription() {
                private final byte[] chunk = new byte[64 * 1024];
                private long sent;
                private boolean done;

                @Override
                public synchronized void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        int len = (int) Math.min(chunk.length, size - sent);
                        sent += len;
                        subscriber.onNext(java.nio.ByteBuffer.wrap(chunk, 0, len));
                        if (sent == size) {
                            done = true;
                            subscriber.onComplete();
                        }
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
        }
    }
}
