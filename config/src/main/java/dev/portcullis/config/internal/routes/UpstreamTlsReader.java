package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.MaterialReader;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.UpstreamTls;
import java.util.Optional;

/**
 * Reads how an https upstream is verified: {@code tls_skip_verify}, {@code tls_server_name}, and extra
 * roots from {@code tls_custom_ca} (base64 PEM, PEM text or a path) or {@code tls_custom_ca_file}.
 */
final class UpstreamTlsReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    UpstreamTlsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    Optional<UpstreamTls> read(SettingMap route) {
        int before = diagnostics.problemCount();
        boolean skipVerify = route.get("tls_skip_verify").flatMap(readers.scalars()::bool).orElse(false);
        Optional<String> serverName = route.get("tls_server_name").flatMap(readers.scalars()::text);
        MaterialReader materials = readers.materials();
        Optional<String> customCa = new AlternativeKeys(diagnostics).choose(route, "tls_custom_ca", "tls_custom_ca_file")
                .flatMap(s -> s.at().path().endsWith("_file")
                        ? materials.pemFile(s, PemContent.CERTIFICATE)
                        : materials.pem(s, PemContent.CERTIFICATE));
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamTls(skipVerify, serverName, customCa));
    }
}
