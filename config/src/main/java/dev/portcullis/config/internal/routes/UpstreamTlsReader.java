package dev.portcullis.config.internal.routes;

import dev.portcullis.config.Options.CertificatePair;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.MaterialReader;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.UpstreamTls;
import java.util.Optional;

/**
 * Reads how an https upstream is verified and what is presented to it: {@code tls_skip_verify};
 * {@code tls_upstream_server_name} (or the older {@code tls_server_name}; the newer wins, as in Pomerium); extra
 * roots from {@code tls_custom_ca} (base64 PEM, PEM text or a path) or {@code tls_custom_ca_file}; a client
 * certificate from {@code tls_client_cert[_file]} and {@code tls_client_key[_file]}, both or neither. The top-level
 * {@code certificate_authority} is carried into every route, for the routes without a custom CA.
 */
final class UpstreamTlsReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;
    private final Optional<String> certificateAuthority;

    /** @param certificateAuthority the top-level {@code certificate_authority[_file]} PEM, when set */
    UpstreamTlsReader(ValueReaders readers, Optional<String> certificateAuthority) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.certificateAuthority = certificateAuthority;
    }

    Optional<UpstreamTls> read(SettingMap route) {
        int before = diagnostics.problemCount();
        boolean skipVerify = route.get("tls_skip_verify").flatMap(readers.scalars()::bool).orElse(false);
        Optional<String> serverName = route.get("tls_upstream_server_name").flatMap(readers.scalars()::text)
                .or(() -> route.get("tls_server_name").flatMap(readers.scalars()::text));
        Optional<String> customCa = pem(route, "tls_custom_ca", PemContent.CERTIFICATE);
        Optional<CertificatePair> clientCertificate = clientCertificate(route);
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamTls(skipVerify, serverName, customCa, certificateAuthority, clientCertificate));
    }

    private Optional<CertificatePair> clientCertificate(SettingMap route) {
        Optional<Setting> certificate = new AlternativeKeys(diagnostics).choose(route, "tls_client_cert", "tls_client_cert_file");
        Optional<Setting> key = new AlternativeKeys(diagnostics).choose(route, "tls_client_key", "tls_client_key_file");
        if (certificate.isPresent() != key.isPresent()) {
            Setting given = certificate.or(() -> key).orElseThrow();
            diagnostics.problem(given.at(), "needs " + (certificate.isPresent() ? "tls_client_key (or tls_client_key_file)"
                    : "tls_client_cert (or tls_client_cert_file)") + ": a client certificate is presented with its key");
            return Optional.empty();
        }
        if (certificate.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> certificatePem = pem(certificate.get(), PemContent.CERTIFICATE);
        Optional<String> keyPem = pem(key.get(), PemContent.PRIVATE_KEY);
        if (certificatePem.isEmpty() || keyPem.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CertificatePair(certificate.get().at().toString(), certificatePem.get(), keyPem.get()));
    }

    /** {@code key} or {@code key_file}, whichever is set. */
    private Optional<String> pem(SettingMap route, String key, PemContent content) {
        return new AlternativeKeys(diagnostics).choose(route, key, key + "_file").flatMap(s -> pem(s, content));
    }

    private Optional<String> pem(Setting s, PemContent content) {
        MaterialReader materials = readers.materials();
        return s.at().path().endsWith("_file") ? materials.pemFile(s, content) : materials.pem(s, content);
    }
}
