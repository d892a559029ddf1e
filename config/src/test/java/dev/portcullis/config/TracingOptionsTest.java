package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.TracingOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newer {@code otel_*} and the older {@code tracing_*} options, from the file and the environment. */
class TracingOptionsTest {

    @TempDir
    Path dir;

    @Test
    void offWhenNothingIsSet() throws ConfigException {
        assertThat(load(dir, "", env()).options().tracing()).isEqualTo(TracingOptions.off());
    }

    @Test
    void otlpFromTheStandardEnvironmentVariables() throws ConfigException {
        LoadedConfig loaded = load(dir, "", env(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer s3cret,X-Tenant=home",
                "OTEL_TRACES_SAMPLER_ARG", "0.25"));

        TracingOptions tracing = loaded.options().tracing();
        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(tracing).isEqualTo(new TracingOptions(Optional.of(URI.create("http://collector:4318/v1/traces")),
                Map.of("Authorization", "Bearer s3cret", "X-Tenant", "home"), 0.25));
        assertThat(tracing.toString()).doesNotContain("s3cret");
    }

    @Test
    void otlpDefaultsToTheLocalCollectorAndRecordsEverything() throws ConfigException {
        TracingOptions tracing = load(dir, "otel_traces_exporter: otlp\n", env()).options().tracing();

        assertThat(tracing.tracesEndpoint()).contains(URI.create("http://localhost:4318/v1/traces"));
        assertThat(tracing.sampleRate()).isEqualTo(1.0);
    }

    @Test
    void anEndpointWithAPathOrTheTracesPathAlreadyKeepsIt() throws ConfigException {
        assertThat(load(dir, "otel_traces_exporter: otlp\notel_exporter_otlp_endpoint: https://otel.example/otlp/\n",
                env()).options().tracing().tracesEndpoint()).contains(URI.create("https://otel.example/otlp/v1/traces"));
        assertThat(load(dir, "otel_traces_exporter: otlp\notel_exporter_otlp_endpoint: http://c:4318/v1/traces\n",
                env()).options().tracing().tracesEndpoint()).contains(URI.create("http://c:4318/v1/traces"));
    }

    @Test
    void theOlderJaegerCollectorMapsToItsOtlpHttpReceiver() throws ConfigException {
        TracingOptions tracing = load(dir, """
                tracing_provider: jaeger
                tracing_jaeger_collector_endpoint: http://jaeger:14268/api/traces
                tracing_sample_rate: 1
                """, env()).options().tracing();

        assertThat(tracing.tracesEndpoint()).contains(URI.create("http://jaeger:4318/v1/traces"));
        assertThat(tracing.sampleRate()).isEqualTo(1.0);
    }

    @Test
    void theOlderSampleRateDefaultsToPomeriums() throws ConfigException {
        TracingOptions tracing = load(dir, "", env("TRACING_PROVIDER", "jaeger",
                "TRACING_JAEGER_COLLECTOR_ENDPOINT", "http://jaeger:14268/api/traces")).options().tracing();

        assertThat(tracing.sampleRate()).isEqualTo(0.0001);
    }

    @Test
    void theNewerOptionsWinAndNoneTurnsTracingOff() throws ConfigException {
        String older = """
                tracing_provider: jaeger
                tracing_jaeger_collector_endpoint: http://jaeger:14268/api/traces
                """;
        assertThat(load(dir, older + "otel_traces_exporter: none\n", env()).options().tracing().enabled()).isFalse();
        assertThat(load(dir, older, env("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://tempo:4318")).options().tracing().tracesEndpoint())
                .contains(URI.create("http://tempo:4318/v1/traces"));
    }

    @Test
    void unsupportedProvidersWarnAndLeaveTracingOff() throws ConfigException {
        LoadedConfig loaded = load(dir, "tracing_provider: zipkin\n", env());

        assertThat(loaded.options().tracing().enabled()).isFalse();
        assertThat(optionWarnings(loaded)).anySatisfy(w -> assertThat(w).contains("zipkin").contains("not supported"));
    }

    @Test
    void mistakesNameTheKey() {
        assertThat(problems(dir, """
                otel_traces_exporter: zipkin
                otel_exporter_otlp_headers: [a]
                otel_traces_sampler_arg: 2
                """, env())).containsExactly(
                "otel_traces_exporter: \"zipkin\" is not one of otlp, none",
                "otel_exporter_otlp_headers: expected a map, found a list");
        assertThat(problems(dir, "otel_traces_exporter: otlp\notel_exporter_otlp_protocol: grpc\n"
                + "otel_traces_sampler_arg: 2\n", env()))
                .anySatisfy(p -> assertThat(p).startsWith("otel_exporter_otlp_protocol: grpc is not supported"))
                .anySatisfy(p -> assertThat(p).startsWith("otel_traces_sampler_arg: 2.0 is not between 0 and 1"));
        assertThat(problems(dir, "tracing_provider: jaeger\n", env()))
                .anySatisfy(p -> assertThat(p).contains("tracing_jaeger_collector_endpoint is not set"));
    }
}
