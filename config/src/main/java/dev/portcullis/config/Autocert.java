package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Certificates from an ACME CA ({@code autocert*}, RFC 8555). Always present in
 * {@link Options.ServerOptions#autocert()}; nothing is requested unless {@link #enabled()}. Never with
 * {@code insecure_server} (a problem). {@link #toString()} hides the MAC key.
 *
 * @param enabled      {@code autocert}: obtain and renew certificates for the routes' hosts (false)
 * @param dir          {@code autocert_dir}: where the account and certificates are kept ({@code /data/autocert})
 * @param directoryUrl the ACME directory: {@code autocert_ca}, else Let's Encrypt's staging directory with
 *                     {@code autocert_use_staging}, else Let's Encrypt's production directory
 * @param email        {@code autocert_email}: the account's contact
 * @param mustStaple   {@code autocert_must_staple}: request certificates with the OCSP must-staple extension
 * @param eab          {@code autocert_eab_key_id} + {@code autocert_eab_mac_key}: external account binding
 *                     (RFC 8555 §7.3.4), required by some CAs (ZeroSSL, Google Trust Services)
 * @param trustedCaPem {@code autocert_trusted_ca} or {@code autocert_trusted_ca_file}: PEM roots to trust for the
 *                     ACME server's own HTTPS (a private ACME server, the Pebble test server) in addition to the
 *                     JDK's; empty: the JDK's only
 */
public record Autocert(
        boolean enabled,
        Path dir,
        URI directoryUrl,
        Optional<String> email,
        boolean mustStaple,
        Optional<ExternalAccountBinding> eab,
        Optional<String> trustedCaPem) {

    /** Let's Encrypt's production directory, the default. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    /** Let's Encrypt's staging directory ({@code autocert_use_staging}). */
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");
    /** {@code autocert_dir} when unset: the image's volume. */
    public static final Path DEFAULT_DIR = Path.of("/data/autocert");

    public Autocert {
        requireNonNull(dir, "dir");
        requireNonNull(directoryUrl, "directoryUrl");
        requireNonNull(email, "email");
        requireNonNull(eab, "eab");
        requireNonNull(trustedCaPem, "trustedCaPem");
    }

    /** Autocert off, with the defaults. */
    public static Autocert off() {
        return new Autocert(false, DEFAULT_DIR, LETS_ENCRYPT, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /**
     * An ACME external account binding. {@link #toString()} hides the MAC key.
     *
     * @param keyId  {@code autocert_eab_key_id}: the key identifier the CA gave
     * @param macKey {@code autocert_eab_mac_key}, decoded from base64url: the HMAC key the CA gave
     */
    public record ExternalAccountBinding(String keyId, byte[] macKey) {
        public ExternalAccountBinding {
            requireNonNull(keyId, "keyId");
            macKey = macKey.clone();
        }

        @Override
        public byte[] macKey() {
            return macKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExternalAccountBinding b && keyId.equals(b.keyId)
                    && java.security.MessageDigest.isEqual(macKey, b.macKey);
        }

        @Override
        public int hashCode() {
            return keyId.hashCode();
        }

        @Override
        public String toString() {
            return "ExternalAccountBinding[keyId=" + keyId + ", macKey=hidden]";
        }
    }
}
