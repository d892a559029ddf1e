package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Random single-use codes (256 bits, base64url), each standing for a value until it is taken or its
 * lifetime ends. {@link #take} removes the code whatever happens next, so a code works once. At most
 * {@code maxEntries} codes are held: past that, expired ones are swept, and if none had expired the
 * new code is refused rather than memory growing.
 */
final class OneTimeCodes<V> {

    private static final int CODE_BYTES = 32;

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final int maxEntries;
    private final Clock clock;

    OneTimeCodes(Duration lifetime, int maxEntries, Clock clock) {
        this.lifetime = requireNonNull(lifetime, "lifetime");
        this.maxEntries = maxEntries;
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * A new code for {@code value}.
     *
     * @throws IllegalStateException when {@code maxEntries} live codes are already held
     */
    String issue(V value) {
        requireNonNull(value, "value");
        Instant now = clock.instant();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> !entry.until.isAfter(now));
            if (entries.size() >= maxEntries) {
                throw new IllegalStateException("too many sign-ins in progress (" + maxEntries + "); try again later");
            }
        }
        byte[] bytes = new byte[CODE_BYTES];
        NonBlockingRandom.get().nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        entries.put(code, new Entry<>(value, now.plus(lifetime)));
        return code;
    }

    /** The value of a current code, which is used up by this call; empty for an unknown, used or expired one. */
    Optional<V> take(String code) {
        requireNonNull(code, "code");
        Entry<V> entry = entries.remove(code);
        if (entry == null || !entry.until.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.value);
    }

    int size() {
        return entries.size();
    }

    private record Entry<V>(V value, Instant until) {}
}
