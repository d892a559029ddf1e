package dev.portcullis.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.portcullis.policy.ClientCertificate;
import java.util.Optional;

/**
 * What {@link ClientCertificateVerifier} concluded about the certificate a client presented in its TLS handshake.
 *
 * @param presented the facts of the client's certificate, valid or not; empty when it presented none
 * @param valid     true when it chains to a configured CA and meets every requirement
 * @param reason    why it is not valid, in a few words for the debug log; empty when valid
 */
public record ClientCertificateVerdict(Optional<ClientCertificate> presented, boolean valid, String reason) {
    /** No certificate was presented. */
    public static final ClientCertificateVerdict MISSING =
            new ClientCertificateVerdict(Optional.empty(), false, "no client certificate was presented");

    public ClientCertificateVerdict {
        requireNonNull(presented, "presented");
        requireNonNull(reason, "reason");
        if (valid && presented.isEmpty()) {
            throw new IllegalArgumentException("valid without a certificate (expected: a presented certificate)");
        }
    }
}
