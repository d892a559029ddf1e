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

    /**
     * Label sets held bound per kind of meter. A request's label set is its route, the route's host, one of
     * ten method values and its status; in practice a few statuses per route and method, so a few hundred
     * sets for a large configuration. Beyond this, the ones used least recently are looked up again.
     */
    static final int BOUND_LABEL_SETS = 1024;

    /** The labels of {@code pomerium.http.server.requests} and its duration; the status class follows the status. */
    private record RequestLabels(String route, String host, String method, int status) {}

    /** The meters one finished request of given labels updates. */
    private record RequestMeters(Counter requests, DistributionSummary duration, Counter byStatusClass) {}

    /** A route and the one other label of a per-route counter (a decision, an upstream failure kind). */
    private record RouteLabels(String route, String value) {}

    private final BoundMeters<RequestLabels, RequestMeters> requestMeters;
    private final BoundMeters<RouteLabels, Counter> decisions;
    private final BoundMeters<RouteLabels, Counter> upstreamErrors;

    RequestMetrics(MeterRegistry registry) {
        Meter.MeterProvider<Counter> requests = Counter.builder("pomerium.http.server.requests")
                .description("HTTP requests answered, by route host, method, status and route")
                .withRegistry(registry);
        Meter.MeterProvider<DistributionSummary> durations = DistributionSummary
                .builder("pomerium.http.server.request.duration.ms")
                .description("HTTP request duration in ms, from the request's arrival to its last byte")
                .serviceLevelObjectives(LATENCY_BUCKETS_MS)
                .withRegistry(registry);
        Meter.MeterProvider<Counter> byStatusClass = Counter.builder("portcullis.http.requests")
                .description("HTTP requests answered, by route and status class (2xx, 3xx, 4xx, 5xx)")
                .withRegistry(registry);
        Meter.MeterProvider<Counter> decided = Counter.builder("portcullis.policy.decisions")
                .description("Access decisions on route requests: allow, deny, or sign_in (a stranger asked to sign in)")
                .withRegistry(registry);
        Meter.MeterProvider<Counter> failed = Counter.builder("portcullis.upstream.errors")
                .description("Upstream failures by route and kind: connect_error, timeout, reset")
                .withRegistry(registry);
        requestMeters = new BoundMeters<>(BOUND_LABEL_SETS, labels -> {
            Tags tags = Tags.of("service", SERVICE, "host", labels.host(), "http_method", labels.method(),
                    "http_status", Integer.toString(labels.status()), "route", labels.route());
            return new RequestMeters(requests.withTags(tags), durations.withTags(tags),
                    byStatusClass.withTags("route", labels.route(), "status_class", statusClass(labels.status())));
        });
        decisions = new BoundMeters<>(BOUND_LABEL_SETS,
                labels -> decided.withTags("route", labels.route(), "result", labels.value()));
        upstreamErrors = new BoundMeters<>(BOUND_LABEL_SETS,
                labels -> failed.withTags("route", labels.route(), "kind", labels.value()));
    }

    void record(FinishedRequest request) {
        Optional<FinishedRequest.RouteName> route = request.route();
        String routeName = route.isPresent() ? route.get().name() : NO_ROUTE;
        String host = route.isPresent() ? route.get().fromHost() : UNKNOWN_HOST;
        RequestMeters meters = requestMeters.of(
                new RequestLabels(routeName, host, method(request.method()), request.status()));
        meters.requests().increment();
        meters.duration().record(request.duration().toNanos() / 1_000_000.0);
        meters.byStatusClass().increment();
        if (route.isPresent() && request.decision().isPresent()) {
            decisions.of(new RouteLabels(routeName, request.decision().get())).increment();
        }
        if (request.outcome().isPresent()) {
            upstreamError(request.outcome().get())
                    .ifPresent(kind -> upstreamErrors.of(new RouteLabels(routeName, kind)).increment());
        }
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
