package dev.portcullis.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.report.FinishedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A scrape taken while requests finish shows each request whole — its count and its duration together —
 * and a scrape taken after a request was reported shows it. (MetricsTest once read a 504's duration
 * count as 0 beside a request count of 1.)
 */
class ProxyMetricsScrapeTest {
    private static final String COUNT = "pomerium_http_server_requests_total{host=\"slow.test\",http_method=\"GET\","
            + "http_status=\"504\",route=\"slow\",service=\"pomerium\"}";
    private static final String DURATION_COUNT = "pomerium_http_server_request_duration_ms_count{host=\"slow.test\","
            + "http_method=\"GET\",http_status=\"504\",route=\"slow\",service=\"pomerium\"}";
    private static final String SLOWEST_BUCKET = "pomerium_http_server_request_duration_ms_bucket{host=\"slow.test\","
            + "http_method=\"GET\",http_status=\"504\",route=\"slow\",service=\"pomerium\",le=\"+Inf\"}";

    private static FinishedRequest timedOut(int i) {
        return new FinishedRequest("r-" + i, "GET", "HTTP/1.1", "slow.test", "/", 504, Duration.ofMillis(300),
                Optional.of(new FinishedRequest.RouteName("slow", "slow.test")), Optional.empty(), 0, 0, "127.0.0.1",
                Optional.empty(), Optional.empty(), Optional.of("upstream_timeout"), Optional.of("allow"),
                Optional.empty());
    }

    @Test
    void aScrapeDuringRecordingShowsEachRequestWholeAndAFinalScrapeShowsThemAll() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        try (ProxyMetrics metrics = ProxyMetrics.create("test", Clock.systemUTC())) {
            ExecutorService recorders = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                done.add(recorders.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        metrics.finished(timedOut(first + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            int scrapes = 0;
            while (done.stream().anyMatch(f -> !f.isDone()) || scrapes == 0) {
                Scrape scrape = Scrape.parse(metrics.scrape());
                assertThat(scrape.value(DURATION_COUNT)).as("scrape %d", scrapes).isEqualTo(scrape.value(COUNT));
                assertThat(scrape.value(SLOWEST_BUCKET)).as("scrape %d", scrapes).isEqualTo(scrape.value(COUNT));
                scrapes++;
            }
            for (Future<?> f : done) {
                f.get();
            }
            recorders.shutdown();

            Scrape last = Scrape.parse(metrics.scrape());
            assertThat(last.value(COUNT)).isEqualTo(threads * perThread);
            assertThat(last.value(DURATION_COUNT)).isEqualTo(threads * perThread);
            assertThat(last.value(SLOWEST_BUCKET)).isEqualTo(threads * perThread);
        }
    }
}
