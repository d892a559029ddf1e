package dev.portcullis.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Sign-in events counted in the registry; identity provider calls timed by operation. */
final class SignInMetrics implements SignInEvents {
    private final Counter signIns;
    private final Counter signOuts;
    private final Meter.MeterProvider<Counter> refreshes;
    private final Meter.MeterProvider<Timer> providerCalls;
    private final Meter.MeterProvider<Counter> providerErrors;

    SignInMetrics(MeterRegistry registry) {
        signIns = Counter.builder("portcullis.sign.ins")
                .description("Sign-ins completed with the identity provider").register(registry);
        signOuts = Counter.builder("portcullis.sign.outs")
                .description("Sign-outs on the authenticate host").register(registry);
        refreshes = Counter.builder("portcullis.session.refreshes")
                .description("Renewals of sessions whose provider tokens were due: renewed, ended (refused), failed")
                .withRegistry(registry);
        providerCalls = Timer.builder("portcullis.identity.provider.requests")
                .description("Identity provider calls by operation and result (ok or how they failed)")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                        Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withRegistry(registry);
        providerErrors = Counter.builder("portcullis.identity.provider.errors")
                .description("Failed identity provider calls by operation and kind: rejected, unavailable, error")
                .withRegistry(registry);
    }

    @Override
    public void signedIn() {
        signIns.increment();
    }

    @Override
    public void signedOut() {
        signOuts.increment();
    }

    @Override
    public void sessionRefreshed(Refresh how) {
        refreshes.withTags("result", how.label()).increment();
    }

    @Override
    public void providerCall(String operation, long nanos, Optional<String> failure) {
        providerCalls.withTags("operation", operation, "result", failure.orElse("ok")).record(nanos, TimeUnit.NANOSECONDS);
        failure.ifPresent(kind -> providerErrors.withTags("operation", operation, "kind", kind).increment());
    }
}
