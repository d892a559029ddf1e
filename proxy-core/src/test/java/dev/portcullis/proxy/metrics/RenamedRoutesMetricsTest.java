package dev.portcullis.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.report.FinishedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Meters are bound once per label set and kept in a bounded table: routes renamed by reload after reload
 * (more names than the table holds) still count exactly, and the table never grows past its bound.
 */
class RenamedRoutesMetricsTest {

    private static FinishedRequest denied(String route) {
        return new FinishedRequest("r", "GET", "HTTP/1.1", route + ".test", "/", 403, Duration.ofMillis(3),
                Optional.of(new FinishedRequest.RouteName(route, route + ".test")), Optional.empty(), 0, 0,
                "127.0.0.1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("deny"),
                Optional.empty());
    }

    private static String labels(String route) {
        return "{host=\"" + route + ".test\",http_method=\"GET\",http_status=\"403\",route=\"" + route
                + "\",service=\"pomerium\"}";
    }

    @Test
    void routesRenamedMoreTimesThanTheTableHoldsStillCountExactly() {
        int names = RequestMetrics.BOUND_LABEL_SETS + 100;
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < names; i++) {
            routes.add("route-" + i);
        }
        try (ProxyMetrics metrics = ProxyMetrics.create("test", Clock.systemUTC())) {
            routes.forEach(route -> metrics.finished(denied(route)));
            // the first names were forgotten by the table since; they must find their meters again
            metrics.finished(denied("route-0"));
            metrics.finished(denied("route-0"));
            metrics.finished(denied(routes.get(names - 1)));

            Scrape scrape = Scrape.parse(metrics.scrape());
            assertThat(scrape.value("pomerium_http_server_requests_total" + labels("route-0"))).isEqualTo(3);
            assertThat(scrape.value("pomerium_http_server_request_duration_ms_count" + labels("route-0"))).isEqualTo(3);
            assertThat(scrape.value("portcullis_http_requests_total{route=\"route-0\",status_class=\"4xx\"}"))
                    .isEqualTo(3);
            assertThat(scrape.value("portcullis_policy_decisions_total{result=\"deny\",route=\"route-0\"}"))
                    .isEqualTo(3);
            assertThat(scrape.value("pomerium_http_server_requests_total" + labels("route-1"))).isEqualTo(1);
            assertThat(scrape.value("pomerium_http_server_requests_total" + labels(routes.get(names - 1))))
                    .isEqualTo(2);
        }
    }

    @Test
    void theTableForgetsTheLeastRecentlyUsedLabelSetBeyondItsBound() {
        List<String> lookedUp = new ArrayList<>();
        BoundMeters<String, String> bound = new BoundMeters<>(2, labels -> {
            lookedUp.add(labels);
            return "meter of " + labels;
        });

        assertThat(bound.of("a")).isEqualTo("meter of a");
        assertThat(bound.of("b")).isEqualTo("meter of b");
        assertThat(bound.of("a")).isEqualTo("meter of a");
        assertThat(bound.of("c")).isEqualTo("meter of c");
        assertThat(bound.of("a")).isEqualTo("meter of a");
        assertThat(bound.of("b")).isEqualTo("meter of b");

        assertThat(lookedUp).containsExactly("a", "b", "c", "b");
        assertThat(bound.size()).isEqualTo(2);
    }
}
