package dev.portcullis.authn.builtin;

import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a sign-in attempt may be checked now, or must wait because the account or the
 * client address failed too often ({@link MemoryLoginThrottle} states the rules). Every answer is a
 * {@code CompletionStage}; a stage that fails means the throttle could not answer, and the attempt
 * is not checked (fail closed).
 */
public interface LoginThrottle {

    /**
     * Starts an attempt for {@code email} from {@code address}: the wait when either is locked (or
     * already has so many attempts in flight that one more could pass the threshold), else empty and
     * the attempt is in flight until {@link #failed}, {@link #succeeded} or {@link #finished}.
     */
    CompletionStage<Optional<Duration>> begin(String email, String address);

    /** Ends an attempt that failed: one more failure for the account and the address. */
    CompletionStage<Void> failed(String email, String address);

    /** Ends an attempt that succeeded: the account's failures are forgotten. */
    CompletionStage<Void> succeeded(String email, String address);

    /** Ends an attempt that neither failed nor succeeded yet (the password was right; a code is next). */
    CompletionStage<Void> finished(String email, String address);

    /**
     * {@code outcome} once {@code recorded} (how an attempt ended: {@link #failed}, {@link #succeeded},
     * {@link #finished}) is stored; fails with {@link StoreUnavailable} when it could not be.
     */
    static <T> CompletionStage<T> settled(CompletionStage<Void> recorded, CompletionStage<T> outcome) {
        return StoreUnavailable.asking(() -> recorded).thenCompose(done -> outcome);
    }
}
