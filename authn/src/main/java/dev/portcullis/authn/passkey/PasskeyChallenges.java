package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Issues WebAuthn challenges and uses each up at most once, within {@link #LIFETIME}. Being used up is
 * recorded in a {@link SingleUse} store, so with a shared store a challenge works once across replicas.
 */
public final class PasskeyChallenges {

    /** How long a challenge, and so the browser's ceremony, may take. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int CHALLENGE_BYTES = 32;
    private static final String CLAIM_PREFIX = "passkey-challenge:";

    private final SingleUse used;
    private final Clock clock;

    public PasskeyChallenges(SingleUse used, Clock clock) {
        this.used = requireNonNull(used, "used");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A fresh challenge of 32 random bytes, valid for {@link #LIFETIME}. */
    public PasskeyChallenge issue() {
        byte[] random = new byte[CHALLENGE_BYTES];
        NonBlockingRandom.get().nextBytes(random);
        return new PasskeyChallenge(Base64.getUrlEncoder().withoutPadding().encodeToString(random),
                clock.instant().plus(LIFETIME));
    }

    /**
     * Uses up {@code challenge}.
     *
     * @return {@code true} the first time, before it expires; {@code false} when expired or used already.
     *         Fails with {@link StoreUnavailable} when the store cannot answer.
     */
    public CompletionStage<Boolean> claim(PasskeyChallenge challenge) {
        requireNonNull(challenge, "challenge");
        if (!clock.instant().isBefore(challenge.expiresAt())) {
            return CompletableFuture.completedFuture(false);
        }
        return StoreUnavailable.asking(() -> used.claim(CLAIM_PREFIX + challenge.value(), challenge.expiresAt()));
    }
}
