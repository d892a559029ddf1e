package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A WebAuthn challenge (§13.4.3): 32 random bytes as base64url, accepted once and until {@code expiresAt}.
 * The caller keeps it between the two halves of a ceremony where the browser cannot change it (sealed in a
 * cookie or a sealed form field); {@link PasskeyChallenges#claim} makes it single-use.
 */
public record PasskeyChallenge(String value, Instant expiresAt) {
    public PasskeyChallenge {
        requireNonNull(value, "value");
        requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "PasskeyChallenge[expiresAt=" + expiresAt + "]";
    }
}
