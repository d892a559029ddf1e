package dev.portcullis.proxy.metrics;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.proxy.report.FinishedRequest;
import dev.portcullis.proxy.report.RequestReporter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's metrics facade: one Prometheus registry holding Pomerium's metrics (requests, duration,
 * configuration reloads, build information), Portcullis' own (policy decisions, upstream errors, sign-in,
 * identity provider calls, connections) and the JVM's. Recording never blocks: a finished request is handed
 * to the {@link MetricsWriter}, which also renders {@link #scrape()} (called on the metrics listener's thread,
 * never on an event loop), so a scrape holds every request reported before it, each one whole.
 */
public final class ProxyMetrics implements RequestReporter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final SignInMetrics signIn = new SignInMetrics(registry);
    private SessionStoreMetrics sessionStore;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AtomicLong lastReloadSuccess = new AtomicLong();
    private final AtomicLong lastReloadSeconds = new AtomicLong();
    private final Clock clock;
    private final MetricsWriter writer = new MetricsWriter();

    private ProxyMetrics(String version, Clock clock) {
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        BuildInfo.register(registry, version);
        Gauge.builder("pomerium.config.last.reload.success", lastReloadSuccess, AtomicLong::get)
                .description("1 when the last configuration load succeeded, 0 when it was rejected")
                .tag("service", RequestMetrics.SERVICE)
                .register(registry);
        Gauge.builder("pomerium.config.last.reload.success.timestamp", lastReloadSeconds, AtomicLong::get)
                .description("When the configuration was last loaded successfully, in seconds since the epoch")
                .tag("service", RequestMetrics.SERVICE)
                .register(registry);
    }

    /** A registry with the JVM's metrics and the build information of {@code version} bound. */
    public static ProxyMetrics create(String version, Clock clock) {
        return new ProxyMetrics(version, clock);
    }

    /** Records a finished request. A failure here is logged, never passed to the request. */
    @Override
    public void finished(FinishedRequest request) {
        writer.record(() -> {
            try {
                requests.record(request);
            } catch (RuntimeException e) {
                log.warn("request {}: metrics not recorded: {}", request.requestId(), e.toString());
            }
        });
    }

    /**
     * Times the shared session store's commands and shows whether it answers; registered on the first call, so a
     * proxy keeping its state in memory has no such metrics.
     */
    public synchronized StoreObserver sessionStore() {
        if (sessionStore == null) {
            sessionStore = new SessionStoreMetrics(registry);
        }
        return sessionStore;
    }

    /** What sign-in reports into this registry. */
    public SignInEvents signInEvents() {
        return signIn;
    }

    /** A configuration was loaded and is being served. */
    public void configLoaded() {
        lastReloadSeconds.set(clock.instant().getEpochSecond());
        lastReloadSuccess.set(1);
    }

    /** A new configuration was rejected; the previous one goes on serving. */
    public void configRejected() {
        lastReloadSuccess.set(0);
    }

    /** Publishes {@code connections}, the client connections open now. */
    public void connectionsOpen(IntSupplier connections) {
        gauge("portcullis.connections.open", "Client connections open on the proxy's listeners", connections);
    }

    /** Publishes {@code requests}, the requests being answered now. */
    public void requestsInFlight(IntSupplier requests) {
        gauge("portcullis.requests.in.flight", "Requests being answered now", requests);
    }

    private void gauge(String name, String description, IntSupplier value) {
        Gauge.builder(name, value, v -> v.getAsInt()).description(description).strongReference(true).register(registry);
    }

    /** Every metric in the Prometheus text format (0.0.4). */
    public String scrape() {
        return writer.scrape(registry::scrape);
    }

    @Override
    public void close() {
        writer.close();
        gc.close();
        registry.close();
    }
}
