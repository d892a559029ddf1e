package dev.portcullis.proxy.metrics;

import static dev.portcullis.proxy.testing.WatchedProxy.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.WatchedProxy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pomerium_config_last_reload_success} follows live reloads, as the dashboards and alerts
 * written for Pomerium expect: 0 after a refused change, 1 again (with a newer timestamp) once fixed.
 */
class ConfigReloadMetricsTest {
    private static final String SUCCESS = "pomerium_config_last_reload_success{" + MetricsTest.SERVICE + "}";
    private static final String WHEN = "pomerium_config_last_reload_success_timestamp{" + MetricsTest.SERVICE + "}";

    @TempDir
    Path dir;

    @Test
    void aRefusedChangeSetsTheGaugeToZeroAndAFixedOneBackToOne() throws Exception {
        try (TestUpstream upstream = new TestUpstream("app");
                WatchedProxy proxy = WatchedProxy.start(dir, config(upstream, upstream.url()))) {
            int metricsPort = proxy.server().metricsAddress().orElseThrow().getPort();
            assertThat(Scrape.of(metricsPort).value(SUCCESS)).isEqualTo(1);
            double loadedAt = Scrape.of(metricsPort).value(WHEN);

            proxy.rewriteConfig(config(upstream, "not a url"));
            assertThat(within(Duration.ofSeconds(3), () -> Scrape.of(metricsPort).value(SUCCESS) == 0)).isTrue();

            Thread.sleep(1_000); // the timestamp has whole seconds
            proxy.rewriteConfig(config(upstream, upstream.url()));
            assertThat(within(Duration.ofSeconds(3), () -> Scrape.of(metricsPort).value(SUCCESS) == 1)).isTrue();
            assertThat(Scrape.of(metricsPort).value(WHEN)).isGreaterThan(loadedAt);
        }
    }

    private static String config(TestUpstream upstream, String to) {
        return """
                metrics_address: 127.0.0.1:0
                routes:
                  - from: http://app.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(to);
    }
}
