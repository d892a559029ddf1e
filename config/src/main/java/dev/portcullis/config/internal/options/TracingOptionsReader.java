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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the tracing options into one OTLP/HTTP traces URL. The newer {@code otel_traces_exporter: otlp} with
 * {@code otel_exporter_otlp_endpoint} (a base URL, {@code /v1/traces} appended as the OpenTelemetry
 * specification says) wins over the older {@code tracing_provider: jaeger}, whose
 * {@code tracing_jaeger_collector_endpoint} is mapped to the same host's OTLP/HTTP receiver
 * ({@code :4318/v1/traces}, which Jaeger 1.35 and later serve). Off when neither is set.
 */
final class TracingOptionsReader {

    private static final String OTLP_HTTP_PORT_AND_PATH = ":4318/v1/traces";
    private static final String TRACES_PATH = "v1/traces";
    /** Pomerium's default {@code tracing_sample_rate}, so an older configuration traces as much as before. */
    private static final double OLDER_DEFAULT_SAMPLE_RATE = 0.0001;

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    TracingOptionsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    TracingOptions read(SettingMap top) {
        Optional<String> exporter = choice(top, "otel_traces_exporter");
        Optional<String> protocol = choice(top, "otel_exporter_otlp_protocol");
        Map<String, String> headers = top.get("otel_exporter_otlp_headers")
                .flatMap(readers.collections()::stringMap).orElse(Map.of());
        if (exporter.isPresent()) {
            if (exporter.get().equals("none")) {
                return TracingOptions.off();
            }
            protocol.filter("grpc"::equals).ifPresent(p -> diagnostics.problem(top.get("otel_exporter_otlp_protocol")
                    .orElseThrow().at(), "grpc is not supported: Portcullis exports OTLP over HTTP; set http/protobuf"
                    + " and the collector's OTLP/HTTP port (usually 4318), e.g. http://jaeger:4318"));
            URI base = top.get("otel_exporter_otlp_endpoint").flatMap(readers.scalars()::httpUrl)
                    .orElse(URI.create("http://localhost:4318"));
            double rate = sampleRate(top, "otel_traces_sampler_arg", 1.0);
            return new TracingOptions(Optional.of(tracesUrl(base)), headers, rate);
        }
        if (top.has("otel_exporter_otlp_endpoint")) {
            diagnostics.warning("otel_exporter_otlp_endpoint is set but otel_traces_exporter is not, so tracing is off;"
                    + " set otel_traces_exporter: otlp to export spans");
        }
        return top.get("tracing_provider").flatMap(readers.scalars()::text).map(String::strip)
                .filter(p -> !p.isEmpty())
                .flatMap(provider -> olderProvider(top, provider, headers))
                .orElse(TracingOptions.off());
    }

    private Optional<TracingOptions> olderProvider(SettingMap top, String provider, Map<String, String> headers) {
        if (!provider.equalsIgnoreCase("jaeger")) {
            diagnostics.warning("tracing_provider " + quote(provider) + " is not supported, so tracing is off;"
                    + " use tracing_provider: jaeger, or otel_traces_exporter: otlp with any OTLP collector");
            return Optional.empty();
        }
        Optional<Setting> collector = top.get("tracing_jaeger_collector_endpoint");
        if (collector.isEmpty()) {
            diagnostics.problem("tracing_provider", "is jaeger but tracing_jaeger_collector_endpoint is not set"
                    + " (expected e.g. http://jaeger:14268/api/traces; spans go to that host's OTLP port 4318)");
            return Optional.empty();
        }
        double rate = sampleRate(top, "tracing_sample_rate", OLDER_DEFAULT_SAMPLE_RATE);
        return collector.flatMap(readers.scalars()::httpUrl)
                .map(url -> URI.create(url.getScheme() + "://" + hostOf(url) + OTLP_HTTP_PORT_AND_PATH))
                .map(url -> new TracingOptions(Optional.of(url), headers, rate));
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
