package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code autocert_*} options, field for field as the configuration module's
 * {@code Options.Autocert}, so mapping one onto the other is trivial.
 *
 * @param enabled      {@code autocert}
 * @param dir          {@code autocert_dir}: where the account key and the certificates are kept
 * @param directoryUrl {@code autocert_ca}: the ACME directory, e.g. Let's Encrypt's
 * @param email        {@code autocert_email}: the account's contact
 * @param mustStaple   {@code autocert_must_staple}: ask for the OCSP must-staple extension (RFC 7633)
 * @param eab          {@code autocert_eab_key_id}/{@code autocert_eab_mac_key}: external account binding (RFC 8555 §7.3.4)
 * @param trustedCaPem {@code autocert_trusted_ca}: PEM certificates that alone are trusted for the ACME
 *                     server's own HTTPS; when empty, the JDK's default trust store is used
 */
public record AcmeSettings(
        boolean enabled,
        Path dir,
        URI directoryUrl,
        Optional<String> email,
        boolean mustStaple,
        Optional<ExternalAccountBinding> eab,
        Optional<String> trustedCaPem) {

    public AcmeSettings {
        requireNonNull(dir, "dir");
        requireNonNull(directoryUrl, "directoryUrl");
        requireNonNull(email, "email");
        requireNonNull(eab, "eab");
        requireNonNull(trustedCaPem, "trustedCaPem");
    }

    /** An external account binding: the key identifier and the base64url MAC key the CA gave out. */
    public record ExternalAccountBinding(String keyId, String macKey) {
        public ExternalAccountBinding {
            requireNonNull(keyId, "keyId");
            requireNonNull(macKey, "macKey");
        }

        @Override
        public String toString() {
            return "ExternalAccountBinding[keyId=" + keyId + ", macKey=(hidden)]";
        }
    }
}
