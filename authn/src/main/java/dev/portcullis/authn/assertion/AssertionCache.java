package dev.portcullis.authn.assertion;

import dev.portcullis.config.route.JwtIssuerFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Signed assertions kept per (session id, route host, issuer format) so that a burst of requests is signed once.
 *
 * <p>An assertion is handed out again only for the very subject it was made for (a refreshed session
 * with other groups gets a new one) and only until its renewal time, half-way through its lifetime,
 * so an upstream always receives at least half of the assertion's lifetime.
 *
 * <p>Bounded: when an insertion takes the size above {@code capacity}, one thread sweeps: it removes
 * every entry past its renewal time (they would not be handed out again), then the oldest entries
 * by issue time until a quarter of the room is free, so that sweeps stay rare (amortised O(1) per
 * insertion, plus a sort of the live entries in the worst case). The size can pass the capacity only transiently, by the insertions that race a sweep.
 *
 * <p>Thread-safe without locks held across calls: lookups and insertions are
 * {@link ConcurrentHashMap} operations, removals are conditional on the value (an entry replaced
 * meanwhile survives), and a thread that finds a sweep under way goes on without waiting. Two
 * threads signing for the same key at once each get a valid assertion; the later one is kept.
 */
final class AssertionCache {

    /** An assertion and the subject it speaks for; reusable in [issuedAt, renewAfter). */
    record Entry(AssertionSubject subject, String token, Instant issuedAt, Instant renewAfter) {
    }

    private record Key(String sessionId, String routeHost, JwtIssuerFormat issuerFormat) {
    }

    private final int capacity;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();

    AssertionCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cacheCapacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
    }

    /** The cached assertion for this subject on this host if it may still be handed out at {@code now}, else null. */
    String reusable(AssertionSubject subject, String routeHost, JwtIssuerFormat issuerFormat, Instant now) {
        Entry entry = entries.get(new Key(subject.sessionId(), routeHost, issuerFormat));
        if (entry == null || !entry.subject().equals(subject)) {
            return null;
        }
        return !now.isBefore(entry.issuedAt()) && now.isBefore(entry.renewAfter()) ? entry.token() : null;
    }

    void remember(String routeHost, JwtIssuerFormat issuerFormat, Entry entry, Instant now) {
        entries.put(new Key(entry.subject().sessionId(), routeHost, issuerFormat), entry);
        if (entries.size() > capacity && sweeping.compareAndSet(false, true)) {
            try {
                sweep(now);
            } finally {
                sweeping.set(false);
            }
        }
    }

    int size() {
        return entries.size();
    }

    private void sweep(Instant now) {
        entries.values().removeIf(entry -> !now.isBefore(entry.renewAfter()));
        int target = capacity - capacity / 4;
        if (entries.size() <= target) {
            return;
        }
        List<Map.Entry<Key, Entry>> oldestFirst = new ArrayList<>(entries.entrySet());
        oldestFirst.sort(Comparator.comparing((Map.Entry<Key, Entry> e) -> e.getValue().issuedAt()));
        for (Map.Entry<Key, Entry> old : oldestFirst) {
            if (entries.size() <= target) {
                return;
            }
            entries.remove(old.getKey(), old.getValue());
        }
    }
}
