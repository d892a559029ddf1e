package dev.portcullis.authn.store;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link OneTimeCodes} of a single proxy process: codes of 256 bits, lost on restart. Every
 * answer is complete when returned. At most {@code maxEntries} codes are held: past that, expired
 * ones are swept, and if none had expired the new code is refused rather than memory growing.
 */
public final class MemoryOneTimeCodes<V> implements OneTimeCodes<V> {
    private static final int CODE_BYTES = 32;

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    /**
     * @param maxEntries how many live codes are held at most; at least 1
     * @param clock      tells which codes have expired
     */
    public MemoryOneTimeCodes(int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
        this.maxEntries = maxEntries;
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<String> issue(V value, Instant expiresAt) {
        requireNonNull(value, "value");
        requireNonNull(expiresAt, "expiresAt");
        Instant now = clock.instant();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> !entry.until.isAfter(now));
            if (entries.size() >= maxEntries) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "too many sign-ins in progress (" + maxEntries + "); try again later"));
            }
        }
        byte[] bytes = new byte[CODE_BYTES];
        NonBlockingRandom.get().nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        entries.put(code, new Entry<>(value, expiresAt));
        return CompletableFuture.completedFuture(code);
    }

    @Override
    public CompletionStage<Optional<V>> take(String code) {
        requireNonNull(code, "code");
        Entry<V> entry = entries.remove(code);
        if (entry == null || !entry.until.isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(Optional.of(entry.value));
    }

    int size() {
        return entries.size();
    }

    private record Entry<V>(V value, Instant until) {}
}
