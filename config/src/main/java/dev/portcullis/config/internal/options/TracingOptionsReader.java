package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.Options.TracingOptions;
import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the tracing options into one OTLP/HTTP traces URL. The newer {@code otel_traces_exporter: otlp} with
 * {@code otel_exporter_otlp_endpoint} (a base URL, {@code /v1/traces} appended as the OpenTelemetry
 * specification says) wins over the older {@code tracing_provider: jaeger}, whose
 * {@code tracing_jaeger_collector_endpoint} is mapped to the same host's OTLP/HTTP receiver
 * ({@code :4318/v1/traces}, which Jaeger 1.35 and later serve). Off when neither is set.
 * {@code otel_exporter_otlp_traces_endpoint} (a full URL, used as it is) and
 * {@code otel_exporter_otlp_traces_headers} win over their signal-neutral forms, as the OpenTelemetry
 * specification says.
 *
 * <p>What cannot take effect is said in one warning per cause: the Jaeger agent's UDP protocol
 * ({@code tracing_jaeger_agent_endpoint}), and the Zipkin and Datadog exporters of older Pomerium. The
 * keys in {@link #EXPLAINED} are warned about here, not by the generic "has no effect" warning.
 */
final class TracingOptionsReader {

    private static final String OTLP_HTTP_PORT_AND_PATH = ":4318/v1/traces";
    private static final String TRACES_PATH = "v1/traces";
    /** Pomerium's default {@code tracing_sample_rate}, so an older configuration traces as much as before. */
    private static final double OLDER_DEFAULT_SAMPLE_RATE = 0.0001;

    /** The older tracing keys this reader says something precise about when they cannot take effect. */
    static final Set<String> EXPLAINED = Set.of("tracing_jaeger_agent_endpoint", "tracing_zipkin_endpoint",
            "tracing_datadog_address");

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    TracingOptionsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    TracingOptions read(SettingMap top) {
        Optional<String> exporter = choice(top, "otel_traces_exporter");
        Map<String, String> headers = new LinkedHashMap<>(top.get("otel_exporter_otlp_headers")
                .flatMap(readers.collections()::stringMap).orElse(Map.of()));
        headers.putAll(top.get("otel_exporter_otlp_traces_headers").flatMap(readers.collections()::stringMap)
                .orElse(Map.of()));
        if (exporter.isPresent()) {
            warnAboutOlderKeysNotUsed(top, "otel_traces_exporter is set");
            if (exporter.get().equals("none")) {
                return TracingOptions.off();
            }
            refuseGrpc(top, "otel_exporter_otlp_protocol");
            refuseGrpc(top, "otel_exporter_otlp_traces_protocol");
            Optional<URI> signalUrl = top.get("otel_exporter_otlp_traces_endpoint").flatMap(readers.scalars()::httpUrl);
            URI url = signalUrl.orElseGet(() -> tracesUrl(top.get("otel_exporter_otlp_endpoint")
                    .flatMap(readers.scalars()::httpUrl).orElse(URI.create("http://localhost:4318"))));
            double rate = sampleRate(top, "otel_traces_sampler_arg", 1.0);
            return new TracingOptions(Optional.of(url), headers, rate);
        }
        for (String key : List.of("otel_exporter_otlp_endpoint", "otel_exporter_otlp_traces_endpoint")) {
            if (top.has(key)) {
                diagnostics.warning(key + " is set but otel_traces_exporter is not, so tracing is off;"
                        + " set otel_traces_exporter: otlp to export spans");
            }
        }
        Optional<String> provider = top.get("tracing_provider").flatMap(readers.scalars()::text).map(String::strip)
                .filter(p -> !p.isEmpty());
        if (provider.isEmpty()) {
            warnAboutOlderKeysNotUsed(top, "tracing_provider is not set");
            return TracingOptions.off();
        }
        return olderProvider(top, provider.get(), headers).orElse(TracingOptions.off());
    }

    private void refuseGrpc(SettingMap top, String key) {
        choice(top, key).filter("grpc"::equals).ifPresent(p -> diagnostics.problem(top.get(key).orElseThrow().at(),
                "grpc is not supported: Portcullis exports OTLP over HTTP; set http/protobuf and the collector's"
                        + " OTLP/HTTP port (usually 4318), e.g. http://jaeger:4318"));
    }

    /** Each older endpoint key that is set although the provider it belongs to is not in use. */
    private void warnAboutOlderKeysNotUsed(SettingMap top, String because) {
        for (String key : List.of("tracing_jaeger_agent_endpoint", "tracing_zipkin_endpoint", "tracing_datadog_address")) {
            top.get(key).ifPresent(s -> diagnostics.warning(s.at() + ": has no effect (" + because + ")"));
        }
    }

    private Optional<TracingOptions> olderProvider(SettingMap top, String provider, Map<String, String> headers) {
        if (!provider.equalsIgnoreCase("jaeger")) {
            String endpointKey = provider.equalsIgnoreCase("zipkin") ? "tracing_zipkin_endpoint"
                    : provider.equalsIgnoreCase("datadog") ? "tracing_datadog_address" : "";
            diagnostics.warning("tracing_provider " + quote(provider) + " is not supported, so tracing is off"
                    + (top.has(endpointKey) ? " (" + endpointKey + " has no effect)" : "")
                    + "; use otel_traces_exporter: otlp with otel_exporter_otlp_endpoint naming any OTLP/HTTP"
                    + " collector (the OpenTelemetry Collector receives OTLP and exports to Zipkin or Datadog)");
            top.keys().stream().filter(EXPLAINED::contains).filter(k -> !k.equals(endpointKey))
                    .forEach(k -> diagnostics.warning(top.get(k).orElseThrow().at() + ": has no effect (tracing_provider is "
                            + provider + ")"));
            return Optional.empty();
        }
        top.get("tracing_zipkin_endpoint").ifPresent(s -> diagnostics.warning(s.at() + ": has no effect (tracing_provider is jaeger)"));
        top.get("tracing_datadog_address").ifPresent(s -> diagnostics.warning(s.at() + ": has no effect (tracing_provider is jaeger)"));
        Optional<Setting> collector = top.get("tracing_jaeger_collector_endpoint");
        Optional<Setting> agent = top.get("tracing_jaeger_agent_endpoint");
        if (collector.isEmpty()) {
            String host = agent.flatMap(readers.scalars()::text).map(TracingOptionsReader::agentHost).orElse("jaeger");
            diagnostics.warning((agent.isPresent()
                    ? agent.get().at() + ": the Jaeger agent's UDP protocol is not supported, so tracing is off"
                    : "tracing_provider: jaeger without tracing_jaeger_collector_endpoint, so tracing is off")
                    + "; send spans to the collector instead: tracing_jaeger_collector_endpoint: http://" + host
                    + ":14268/api/traces (spans go to that host's OTLP/HTTP port 4318, Jaeger 1.35 or later), or"
                    + " otel_traces_exporter: otlp with otel_exporter_otlp_endpoint: http://" + host + ":4318");
            return Optional.empty();
        }
        agent.ifPresent(s -> diagnostics.warning(s.at() + ": has no effect (spans go to"
                + " tracing_jaeger_collector_endpoint's host, not to the agent)"));
        double rate = sampleRate(top, "tracing_sample_rate", OLDER_DEFAULT_SAMPLE_RATE);
        return collector.flatMap(readers.scalars()::httpUrl)
                .map(url -> URI.create(url.getScheme() + "://" + hostOf(url) + OTLP_HTTP_PORT_AND_PATH))
                .map(url -> new TracingOptions(Optional.of(url), headers, rate));
    }

    /** The host of an agent's {@code host:port} ({@code jaeger:6831} → {@code jaeger}), for the suggestion. */
    private static String agentHost(String endpoint) {
        String hostPort = endpoint.strip();
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
        return host.matches("[A-Za-z0-9.\\-\\[\\]:]+") ? host : "jaeger";
    }

    private static String hostOf(URI url) {
        String host = url.getHost();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The base URL with {@code v1/traces} appended, unless it already ends so. */
    private static URI tracesUrl(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        if (path.endsWith("/" + TRACES_PATH)) {
            return base;
        }
        String joined = (path.endsWith("/") ? path : path + "/") + TRACES_PATH;
        try {
            return new URI(base.getScheme(), base.getRawAuthority(), joined, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("an http URL with a path appended: " + base, e);
        }
    }

    private double sampleRate(SettingMap top, String key, double otherwise) {
        Optional<Setting> setting = top.get(key);
        Optional<Double> rate = setting.flatMap(readers.scalars()::number);
        if (rate.isPresent() && !(rate.get() >= 0 && rate.get() <= 1)) {
            diagnostics.problem(setting.get().at(), rate.get() + " is not between 0 and 1 (expected e.g. 0.1 for"
                    + " one request in ten)");
            return otherwise;
        }
        return rate.orElse(otherwise);
    }

    private Optional<String> choice(SettingMap top, String key) {
        List<String> choices = OptionCatalogue.find(OptionScope.TOP_LEVEL, key).orElseThrow().choices();
        return top.get(key).flatMap(s -> readers.scalars().choice(s, choices));
    }
}
