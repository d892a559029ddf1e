package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.Options.CertificatePair;
import java.util.Optional;

/**
 * How an https upstream is verified, and what the proxy presents to it, as Pomerium's Envoy cluster does.
 *
 * @param skipVerify        accept any certificate under any name ({@code tls_skip_verify})
 * @param serverName        SNI and the name to verify, instead of the {@code to} host ({@code tls_upstream_server_name},
 *                          else the older {@code tls_server_name})
 * @param customCaPem       the only trusted roots, PEM text ({@code tls_custom_ca} / {@code tls_custom_ca_file}); they
 *                          replace the system's roots and {@code certificate_authority}
 * @param addedRootsPem     roots trusted besides the system's when the route has no {@code tls_custom_ca}: the
 *                          top-level {@code certificate_authority} / {@code certificate_authority_file}
 * @param clientCertificate the certificate and key presented when the upstream asks for one
 *                          ({@code tls_client_cert[_file]} with {@code tls_client_key[_file]}); its source names the
 *                          YAML path of the certificate
 */
public record UpstreamTls(boolean skipVerify, Optional<String> serverName, Optional<String> customCaPem,
        Optional<String> addedRootsPem, Optional<CertificatePair> clientCertificate) {
    public UpstreamTls {
        requireNonNull(serverName, "serverName");
        requireNonNull(customCaPem, "customCaPem");
        requireNonNull(addedRootsPem, "addedRootsPem");
        requireNonNull(clientCertificate, "clientCertificate");
    }

    /** Verification without added roots or a client certificate. */
    public UpstreamTls(boolean skipVerify, Optional<String> serverName, Optional<String> customCaPem) {
        this(skipVerify, serverName, customCaPem, Optional.empty(), Optional.empty());
    }

    /** Verify against the JDK's trusted roots and the {@code to} host name. */
    public static UpstreamTls defaults() {
        return new UpstreamTls(false, Optional.empty(), Optional.empty());
    }
}
