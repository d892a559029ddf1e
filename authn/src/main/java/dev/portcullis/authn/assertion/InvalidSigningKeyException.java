package dev.portcullis.authn.assertion;

/**
 * A {@code signing_key} (or {@code shared_secret} for the derived key) that cannot sign assertions.
 * The message says what was found and what is expected; it never contains key material.
 */
public final class InvalidSigningKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidSigningKeyException(String message) {
        super(message);
    }
}
