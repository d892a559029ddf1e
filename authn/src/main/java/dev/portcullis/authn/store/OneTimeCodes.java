package dev.portcullis.authn.store;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Random single-use codes, each standing for a value until it is taken or expires: the built-in
 * provider's authorization codes and the ticket between its password and TOTP steps. A stage that
 * fails means the store could not answer: no code is issued, or none is accepted.
 *
 * @param <V> what a code stands for (a shared store keeps it through a {@link Codec})
 */
public interface OneTimeCodes<V> {

    /**
     * A new random code (at least 256 bits, base64url) standing for {@code value} until
     * {@code expiresAt}. Fails with {@link IllegalStateException} when the store holds as many live
     * codes as it may.
     */
    CompletionStage<String> issue(V value, Instant expiresAt);

    /** The value of a current code, which this call uses up whatever happens next; empty for an unknown, used or expired one. */
    CompletionStage<Optional<V>> take(String code);

    /** How a shared store (Redis, PostgreSQL) keeps a value: as a string, read back by every replica (of this version). */
    interface Codec<V> {
        String encode(V value);

        /** The value {@link #encode} wrote; throws when {@code encoded} is not such a value. */
        V decode(String encoded);
    }
}
