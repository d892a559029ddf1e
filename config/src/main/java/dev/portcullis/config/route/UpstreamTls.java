package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How an https upstream is verified.
 *
 * @param skipVerify  accept any certificate ({@code tls_skip_verify})
 * @param serverName  SNI and the name to verify, instead of the {@code to} host ({@code tls_server_name})
 * @param customCaPem extra trusted roots, PEM text ({@code tls_custom_ca} / {@code tls_custom_ca_file})
 */
public record UpstreamTls(boolean skipVerify, Optional<String> serverName, Optional<String> customCaPem) {
    public UpstreamTls {
        requireNonNull(serverName, "serverName");
        requireNonNull(customCaPem, "customCaPem");
    }

    /** Verify against the JDK's trusted roots and the {@code to} host name. */
    public static UpstreamTls defaults() {
        return new UpstreamTls(false, Optional.empty(), Optional.empty());
    }
}
