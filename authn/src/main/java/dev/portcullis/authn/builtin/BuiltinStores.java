package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.MemoryOneTimeCodes;
import dev.portcullis.authn.store.OneTimeCodes;
import java.time.Clock;

/**
 * What the built-in provider remembers between requests, each behind a store whose answers are
 * {@code CompletionStage}s.
 *
 * @param throttle      failed attempts per account and client address
 * @param acceptedSteps the latest accepted TOTP step per user
 * @param pendingTotp   the tickets between the password and the TOTP step
 * @param codes         the authorization codes the callback redeems
 */
public record BuiltinStores(LoginThrottle throttle, AcceptedTotpSteps acceptedSteps,
        OneTimeCodes<BuiltinSignIn.PendingTotp> pendingTotp, OneTimeCodes<BuiltinIdentityProvider.IssuedCode> codes) {
    /** How many tickets, and separately codes, the memory stores hold at most. */
    static final int MAX_PENDING = 10_000;

    public BuiltinStores {
        requireNonNull(throttle, "throttle");
        requireNonNull(acceptedSteps, "acceptedSteps");
        requireNonNull(pendingTotp, "pendingTotp");
        requireNonNull(codes, "codes");
    }

    /** The stores of a single process, in memory. */
    public static BuiltinStores inMemory(Clock clock) {
        return new BuiltinStores(new MemoryLoginThrottle(clock), new MemoryAcceptedTotpSteps(clock),
                new MemoryOneTimeCodes<>(MAX_PENDING, clock), new MemoryOneTimeCodes<>(MAX_PENDING, clock));
    }
}
