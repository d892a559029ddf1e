package dev.portcullis.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code pomerium_build_info}: always 1, its labels say what runs. Pomerium's {@code service} and
 * {@code version}; {@code javaversion} stands where Pomerium has {@code goversion}. No {@code revision}:
 * the jar does not record the commit it was built from.
 */
final class BuildInfo {
    private BuildInfo() {}

    static void register(MeterRegistry registry, String version) {
        Gauge.builder("pomerium.build.info", () -> 1)
                .description("Build information: always 1, with the version in its labels")
                .tags("service", RequestMetrics.SERVICE, "version", version,
                        "javaversion", System.getProperty("java.version", "unknown"))
                .strongReference(true)
                .register(registry);
    }
}
