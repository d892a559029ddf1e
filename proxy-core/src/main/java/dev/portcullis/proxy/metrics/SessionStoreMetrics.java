package dev.portcullis.proxy.metrics;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.StoreUnavailable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared session store's commands timed by outcome ({@code portcullis_session_store_command_duration_seconds},
 * {@code outcome} = {@code ok} or {@code error}) and whether its last command was answered
 * ({@code portcullis_session_store_up}, 1 or 0).
 */
final class SessionStoreMetrics implements StoreObserver {
    private final Timer answered;
    private final Timer failed;
    private final AtomicInteger up = new AtomicInteger();

    SessionStoreMetrics(MeterRegistry registry) {
        Timer.Builder commands = Timer.builder("portcullis.session.store.command.duration")
                .description("Commands sent to the shared session store (Redis), by outcome: ok or error")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1));
        answered = commands.tag("outcome", "ok").register(registry);
        failed = commands.tag("outcome", "error").register(registry);
        Gauge.builder("portcullis.session.store.up", up, AtomicInteger::get)
                .description("1 when the shared session store answered its last command, 0 otherwise")
                .register(registry);
    }

    @Override
    public void answered(long nanos) {
        answered.record(nanos, TimeUnit.NANOSECONDS);
        up.set(1);
    }

    @Override
    public void failed(long nanos, StoreUnavailable failure) {
        failed.record(nanos, TimeUnit.NANOSECONDS);
        up.set(0);
    }
}
