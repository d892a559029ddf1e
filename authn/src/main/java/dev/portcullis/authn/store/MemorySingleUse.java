package dev.portcullis.authn.store;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claimed ids of a single proxy process (lost on restart, not shared between replicas: the
 * short lifetimes of what is claimed bound what that leaves open). Never blocks; thread-safe.
 * <b>Memory bound:</b> at most {@code maxEntries} live ids; past it, ids that expired are swept, and
 * when none had, the claim is refused (answered {@code false}) rather than an id forgotten early.
 */
public final class MemorySingleUse implements SingleUse {
    private static final int SWEEP_ABOVE = 1024;

    private final Map<String, Instant> claimed = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;

    /**
     * @param clock      tells which ids have expired and may be swept
     * @param maxEntries how many live ids are remembered at most; at least 1
     */
    public MemorySingleUse(Clock clock, int maxEntries) {
        this.clock = requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public CompletionStage<Boolean> claim(String id, Instant expiresAt) {
        requireNonNull(id, "id");
        requireNonNull(expiresAt, "expiresAt");
        Instant now = clock.instant();
        if (claimed.size() > SWEEP_ABOVE) {
            claimed.values().removeIf(until -> !now.isBefore(until));
        }
        if (claimed.size() >= maxEntries) {
            return CompletableFuture.completedFuture(false);
        }
        boolean[] first = {false};
        claimed.compute(id, (key, until) -> {
            if (until != null && now.isBefore(until)) {
                return until;
            }
            first[0] = true;
            return expiresAt;
        });
        return CompletableFuture.completedFuture(first[0]);
    }

    int size() {
        return claimed.size();
    }
}
