package dev.portcullis.proxy.access;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.DownstreamMtls.Enforcement;
import dev.portcullis.policy.ClientCertificate;
import dev.portcullis.proxy.tls.ClientCertificateVerdict;
import java.util.Optional;

/**
 * A request's client certificate as the policy sees it, and what the configuration demands of it.
 *
 * @param presented   the facts of the certificate the client presented on this connection, valid or not
 * @param invalid     client certificates are required (a {@code downstream_mtls} CA is configured) and this
 *                    request's is missing or failed verification: the policy's {@code invalid_client_certificate}
 * @param defaultDeny such a request is refused with 495 before the route's policy is asked
 *                    ({@code enforcement} other than {@code policy})
 */
public record ClientCertificateStatus(Optional<ClientCertificate> presented, boolean invalid, boolean defaultDeny) {
    /** No client certificate is required, and none was presented. */
    public static final ClientCertificateStatus NOT_REQUIRED = new ClientCertificateStatus(Optional.empty(), false, false);

    public ClientCertificateStatus {
        requireNonNull(presented, "presented");
    }

    /**
     * The status of a request under {@code mtls} (the configuration serving the request) on a connection whose
     * handshake gave {@code verdict} (empty when no certificate was asked for: a plain connection, or one opened
     * before a CA was configured, which counts as missing).
     */
    public static ClientCertificateStatus of(Optional<DownstreamMtls> mtls, Optional<ClientCertificateVerdict> verdict) {
        if (mtls.isEmpty() && verdict.isEmpty()) {
            return NOT_REQUIRED; // the common case, without allocating per request
        }
        Optional<ClientCertificate> presented = verdict.flatMap(ClientCertificateVerdict::presented);
        if (mtls.isEmpty()) {
            return new ClientCertificateStatus(presented, false, false);
        }
        boolean valid = verdict.map(ClientCertificateVerdict::valid).orElse(false);
        return new ClientCertificateStatus(presented, !valid, mtls.get().enforcement() != Enforcement.POLICY);
    }
}
