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
    }

    @Test
    void jaegerWithoutACollectorLoadsWithTracingOffAndSaysHowToTurnItOn() throws ConfigException {
        LoadedConfig alone = load(dir, "tracing_provider: jaeger\n", env());
        LoadedConfig agent = load(dir, "", env("TRACING_PROVIDER", "jaeger", "TRACING_JAEGER_AGENT_ENDPOINT",
                "tempo.local:6831"));

        assertThat(alone.options().tracing().enabled()).isFalse();
        assertThat(optionWarnings(alone)).containsExactly("tracing_provider: jaeger without"
                + " tracing_jaeger_collector_endpoint, so tracing is off; send spans to the collector instead:"
                + " tracing_jaeger_collector_endpoint: http://jaeger:14268/api/traces (spans go to that host's"
                + " OTLP/HTTP port 4318, Jaeger 1.35 or later), or otel_traces_exporter: otlp with"
                + " otel_exporter_otlp_endpoint: http://jaeger:4318");
        assertThat(agent.options().tracing().enabled()).isFalse();
        assertThat(optionWarnings(agent)).singleElement().satisfies(w -> assertThat(w)
                .startsWith("TRACING_JAEGER_AGENT_ENDPOINT (tracing_jaeger_agent_endpoint): the Jaeger agent's UDP"
                        + " protocol is not supported")
                .contains("http://tempo.local:14268/api/traces"));
    }

    @Test
    void anAgentBesideACollectorIsOneWarningAndTheCollectorIsUsed() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                tracing_provider: jaeger
                tracing_jaeger_collector_endpoint: http://jaeger:14268/api/traces
                tracing_jaeger_agent_endpoint: jaeger:6831
                """, env());

        assertThat(loaded.options().tracing().tracesEndpoint()).contains(URI.create("http://jaeger:4318/v1/traces"));
        assertThat(optionWarnings(loaded)).containsExactly("tracing_jaeger_agent_endpoint: has no effect (spans go to"
                + " tracing_jaeger_collector_endpoint's host, not to the agent)");
    }

    @Test
    void zipkinAndDatadogAreOneWarningEach() throws ConfigException {
        LoadedConfig loaded = load(dir, "tracing_provider: zipkin\ntracing_zipkin_endpoint: http://zipkin:9411/api/v2/spans\n",
                env());

        assertThat(optionWarnings(loaded)).singleElement().satisfies(w -> assertThat(w)
                .startsWith("tracing_provider \"zipkin\" is not supported, so tracing is off (tracing_zipkin_endpoint has"
                        + " no effect)"));
        assertThat(optionWarnings(load(dir, "tracing_datadog_address: dd:8126\n", env()))).containsExactly(
                "tracing_datadog_address: has no effect (tracing_provider is not set)");
    }

    @Test
    void theTracesEndpointAndHeadersWinOverTheGeneralOnes() throws ConfigException {
        TracingOptions tracing = load(dir, """
                otel_traces_exporter: otlp
                otel_exporter_otlp_endpoint: http://collector:4318
                otel_exporter_otlp_traces_endpoint: http://tempo:4318/otlp/traces
                otel_exporter_otlp_headers: {X-Tenant: home, X-Other: a}
                otel_exporter_otlp_traces_headers: {X-Tenant: traces}
                """, env()).options().tracing();

        assertThat(tracing.tracesEndpoint()).contains(URI.create("http://tempo:4318/otlp/traces"));
        assertThat(tracing.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("X-Tenant", "traces", "X-Other", "a"));
    }
}
