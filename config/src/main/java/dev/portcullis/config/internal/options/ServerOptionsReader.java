package dev.portcullis.config.internal.options;

import dev.portcullis.config.Options.ServerOptions;
import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the listener: address, plain HTTP or TLS, certificates, TLS version, downstream timeouts, client
 * certificates, ACME and the PROXY protocol.
 */
final class ServerOptionsReader {

    private final ValueReaders readers;

    ServerOptionsReader(ValueReaders readers) {
        this.readers = readers;
    }

    ServerOptions read(SettingMap top) {
        ScalarReader scalars = readers.scalars();
        String address = top.get("address").flatMap(scalars::address).orElse(":443");
        boolean insecureServer = top.get("insecure_server").flatMap(scalars::bool).orElse(false);
        return new ServerOptions(
                address,
                insecureServer,
                top.get("http_redirect_addr").flatMap(scalars::address),
                new CertificatesReader(readers).read(top),
                tlsMinVersion(top),
                duration(top, "timeout_read", Duration.ofSeconds(30)),
                duration(top, "timeout_write", Duration.ZERO),
                duration(top, "timeout_idle", Duration.ofMinutes(5)),
                new DownstreamMtlsReader(readers).read(top, insecureServer),
                new AutocertReader(readers).read(top, insecureServer),
                new AlternativeKeys(readers.diagnostics()).choose(top, "use_proxy_protocol", "require_proxy_protocol")
                        .flatMap(scalars::bool).orElse(false));
    }

    /** {@code TLSv1.2} or {@code TLSv1.3}, from {@code 1.2}, {@code 1.3} or those names. */
    private String tlsMinVersion(SettingMap top) {
        Optional<String> version = top.get("tls_min_version").flatMap(s -> readers.scalars().choice(s,
                OptionCatalogue.find(OptionScope.TOP_LEVEL, "tls_min_version").orElseThrow().choices()));
        return version.map(v -> v.startsWith("TLS") ? v : "TLSv" + v).orElse("TLSv1.2");
    }

    private Duration duration(SettingMap top, String key, Duration defaultValue) {
        return top.get(key).flatMap(readers.scalars()::duration).orElse(defaultValue);
    }
}
