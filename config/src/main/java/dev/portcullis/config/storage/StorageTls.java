package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * TLS to Redis ({@code rediss://}): which servers are trusted and what the client presents. {@link #toString()}
 * never shows the private key.
 *
 * @param caPem          the CA bundle to trust instead of the system's ({@code databroker_storage_ca_file})
 * @param certificatePem a client certificate chain ({@code databroker_storage_cert_file})
 * @param privateKeyPem  its private key ({@code databroker_storage_key_file}); present exactly when the certificate is
 * @param skipVerify     accept any server certificate ({@code databroker_storage_tls_skip_verify}; for tests only)
 */
public record StorageTls(Optional<String> caPem, Optional<String> certificatePem, Optional<String> privateKeyPem,
        boolean skipVerify) {
    /** The system's trusted CAs, no client certificate. */
    public static final StorageTls SYSTEM = new StorageTls(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public StorageTls {
        requireNonNull(caPem, "caPem");
        requireNonNull(certificatePem, "certificatePem");
        requireNonNull(privateKeyPem, "privateKeyPem");
        if (certificatePem.isPresent() != privateKeyPem.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its private key, and a key its certificate");
        }
    }

    @Override
    public String toString() {
        return "StorageTls[ca=" + (caPem.isPresent() ? "set" : "system") + ", clientCertificate="
                + (certificatePem.isPresent() ? "set" : "none") + ", skipVerify=" + skipVerify + "]";
    }
}
