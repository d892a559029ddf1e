package dev.portcullis.proxy.testing;

import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.proxy.signin.SignInStores;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Sign-in's in-memory stores, which fail while an outage lasts as a networked store that cannot be
 * reached would: every answer is a stage that fails a moment later, on another thread.
 */
public final class StoreOutage {
    private final SignInStores stores;
    private volatile boolean down;

    public StoreOutage(Clock clock) {
        SignInStores memory = SignInStores.inMemory(clock);
        this.stores = new SignInStores(new Revocations(memory.revocations()), new Claims(memory.redeemedHandoffs()),
                memory.builtin(), memory.renewalClaims(), memory.renewedSessions(), new Claims(memory.usedSignInSteps()));
    }

    /** The stores to start the proxy with. */
    public SignInStores stores() {
        return stores;
    }

    /** From now on every store call fails. */
    public void begin() {
        down = true;
    }

    /** From now on the stores answer again. */
    public void end() {
        down = false;
    }

    private <T> CompletionStage<T> unlessDown(java.util.function.Supplier<CompletionStage<T>> answer) {
        if (!down) {
            return answer.get();
        }
        return CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("connection refused (a test's store outage)");
        }, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
    }

    private final class Revocations implements RevocationStore {
        private final RevocationStore memory;

        Revocations(RevocationStore memory) {
            this.memory = memory;
        }

        @Override
        public CompletionStage<Void> revoke(String sessionId, Instant until) {
            return unlessDown(() -> memory.revoke(sessionId, until));
        }

        @Override
        public CompletionStage<Boolean> isRevoked(String sessionId, Instant now) {
            return unlessDown(() -> memory.isRevoked(sessionId, now));
        }

        @Override
        public CompletionStage<Void> revokeUser(String userId, Instant issuedBefore, Instant until) {
            return unlessDown(() -> memory.revokeUser(userId, issuedBefore, until));
        }

        @Override
        public CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now) {
            return unlessDown(() -> memory.isUserRevoked(userId, issuedAt, now));
        }
    }

    private final class Claims implements SingleUse {
        private final SingleUse memory;

        Claims(SingleUse memory) {
            this.memory = memory;
        }

        @Override
        public CompletionStage<Boolean> claim(String id, Instant expiresAt) {
            return unlessDown(() -> memory.claim(id, expiresAt));
        }
    }
}
