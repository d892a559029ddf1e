package dev.portcullis.proxy.reload;

import dev.portcullis.config.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The options a running proxy cannot change: the listeners it bound, the timeouts built into each
 * connection's handlers, the metrics listener, the tracing exporter and the ACME account. A reload that changes one
 * of them applies everything else and says, naming the option, that this one waits for a restart.
 */
final class RestartOnlyOptions {
    private record Watched(String name, Function<Options, Object> value) {}

    private static final List<Watched> OPTIONS = List.of(
            new Watched("address", o -> o.server().address()),
            new Watched("insecure_server", o -> o.server().insecureServer()),
            new Watched("use_proxy_protocol", o -> o.server().useProxyProtocol()),
            new Watched("http_redirect_addr", o -> o.server().httpRedirectAddr()),
            new Watched("timeout_read", o -> o.server().timeoutRead()),
            new Watched("timeout_write", o -> o.server().timeoutWrite()),
            new Watched("timeout_idle", o -> o.server().timeoutIdle()),
            new Watched("metrics_address", o -> o.metrics().address()),
            new Watched("metrics_basic_auth", o -> o.metrics().basicAuth()),
            new Watched("otel_exporter_otlp_endpoint", o -> o.tracing().tracesEndpoint()),
            new Watched("otel_exporter_otlp_headers", o -> o.tracing().headers()),
            new Watched("otel_traces_sampler_arg", o -> o.tracing().sampleRate()),
            new Watched("log_format", Options::logFormat),
            new Watched("autocert", o -> o.server().autocert().enabled()),
            new Watched("autocert_dir", o -> o.server().autocert().dir()),
            new Watched("autocert_ca", o -> o.server().autocert().directoryUrl()),
            new Watched("autocert_email", o -> o.server().autocert().email()),
            new Watched("autocert_must_staple", o -> o.server().autocert().mustStaple()),
            new Watched("autocert_eab_key_id", o -> o.server().autocert().eab().map(e -> e.keyId())),
            new Watched("autocert_trusted_ca", o -> o.server().autocert().trustedCaPem()));

    private RestartOnlyOptions() {}

    /** The names of the options that differ between {@code running} and {@code next} and need a restart. */
    static List<String> changed(Options running, Options next) {
        List<String> changed = new ArrayList<>();
        for (Watched option : OPTIONS) {
            if (!Objects.equals(option.value().apply(running), option.value().apply(next))) {
                changed.add(option.name());
            }
        }
        return changed;
    }
}
