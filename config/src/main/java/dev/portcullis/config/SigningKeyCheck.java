package dev.portcullis.config;

import java.util.Optional;

/**
 * Decides whether the proxy can sign assertions with a {@code signing_key}. The config module reads the
 * PEM text; the signer's own parser (in {@code authn}) decides, so that {@code validate} refuses every
 * key {@code serve} would refuse, by one code path.
 */
@FunctionalInterface
public interface SigningKeyCheck {

    /** Checks nothing beyond the PEM text holding a private key (for tools and tests that never sign). */
    SigningKeyCheck PEM_ONLY = pem -> Optional.empty();

    /**
     * Why {@code pem} cannot sign, as the end of a sentence after the key's name ("found a certificate where
     * the private key is needed (expected: …)"), never quoting key material; empty when it can.
     */
    Optional<String> problemWith(String pem);
}
