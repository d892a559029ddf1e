package dev.portcullis.proxy.metrics;

import dev.portcullis.proxy.report.FinishedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a finished request adds to the registry. Every label is bounded by the configuration: the route's
 * name and its {@code from} host ({@code unknown} without a route), the method from a fixed set
 * ({@code other} for the rest), the status as a number. Never a path, a user or an email address.
 */
final class RequestMetrics {
    /** Pomerium's {@code service} label of an all-in-one process. */
    static final String SERVICE = "pomerium";
    static final String NO_ROUTE = "none";
    static final String UNKNOWN_HOST = "unknown";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    /** Pomerium's latency buckets (its {@code DefaultHTTPLatencyDistrubtion}), sorted, in milliseconds. */
    private static final double[] LATENCY_BUCKETS_MS = {1, 2, 5, 7, 10, 25, 100, 250, 500, 750, 1000, 2500, 5000, 7500,
            10000, 25000, 50000, 75000, 100000};

    private final Meter.MeterProvider<Counter> requests;
    private final Meter.MeterProvider<DistributionSummary> durations;
    private final Meter.MeterProvider<Counter> byStatusClass;
    private final Meter.MeterProvider<Counter> decisions;
    private final Meter.MeterProvider<Counter> upstreamErrors;

    RequestMetrics(MeterRegistry registry) {
        requests = Counter.builder("pomerium.http.server.requests")
                .description("HTTP requests answered, by route host, method, status and route")
                .withRegistry(registry);
        durations = DistributionSummary.builder("pomerium.http.server.request.duration.ms")
                .description("HTTP request duration in ms, from the request's arrival to its last byte")
                .serviceLevelObjectives(LATENCY_BUCKETS_MS)
                .withRegistry(registry);
        byStatusClass = Counter.builder("portcullis.http.requests")
                .description("HTTP requests answered, by route and status class (2xx, 3xx, 4xx, 5xx)")
                .withRegistry(registry);
        decisions = Counter.builder("portcullis.policy.decisions")
                .description("Access decisions on route requests: allow, deny, or sign_in (a stranger asked to sign in)")
                .withRegistry(registry);
        upstreamErrors = Counter.builder("portcullis.upstream.errors")
                .description("Upstream failures by route and kind: connect_error, timeout, reset")
                .withRegistry(registry);
    }

    void record(FinishedRequest request) {
        Optional<FinishedRequest.RouteName> route = request.route();
        String routeName = route.map(FinishedRequest.RouteName::name).orElse(NO_ROUTE);
        String host = route.map(FinishedRequest.RouteName::fromHost).orElse(UNKNOWN_HOST);
        String status = Integer.toString(request.status());
        Tags tags = Tags.of("service", SERVICE, "host", host, "http_method", method(request.method()),
                "http_status", status, "route", routeName);
        requests.withTags(tags).increment();
        durations.withTags(tags).record(request.duration().toNanos() / 1_000_000.0);
        byStatusClass.withTags("route", routeName, "status_class", statusClass(request.status())).increment();
        if (route.isPresent()) {
            request.decision().ifPresent(result -> decisions.withTags("route", routeName, "result", result).increment());
        }
        request.outcome().flatMap(RequestMetrics::upstreamError)
                .ifPresent(kind -> upstreamErrors.withTags("route", routeName, "kind", kind).increment());
    }

    /** The method, or {@code other} for one outside the fixed set, so a client cannot add series. */
    static String method(String method) {
        String upper = method.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : "other";
    }

    private static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
    }

    /** The upstream failure an outcome tag names ({@code ProxyFailure} tags and the idle timeout). */
    private static Optional<String> upstreamError(String outcome) {
        return switch (outcome) {
            case "upstream_connect_error" -> Optional.of("connect_error");
            case "upstream_timeout", "upstream_idle_timeout" -> Optional.of("timeout");
            case "upstream_reset" -> Optional.of("reset");
            default -> Optional.empty();
        };
    }
}
