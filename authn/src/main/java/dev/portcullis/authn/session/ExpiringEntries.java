package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * A concurrent map whose entries each hold until an instant, with bounded memory.
 *
 * <p>{@link #get} is a plain {@link ConcurrentHashMap} read: it never blocks. {@link #put} merges
 * with the existing entry and then, when the map has doubled since the last sweep, passed
 * {@code maxEntries}, or a minute has gone by, removes the entries that have expired (one writer
 * sweeps; the others go on). If more than {@code maxEntries} are still live after that, the ones
 * that expire soonest are dropped down to 90% of the bound, so memory never grows past
 * {@code maxEntries} plus the writes in flight.
 */
final class ExpiringEntries<V> {

    private static final int MIN_SWEEP_SIZE = 1024;
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Map<String, V> entries = new ConcurrentHashMap<>();
    private final Function<V, Instant> untilOf;
    private final BinaryOperator<V> merge;
    private final int maxEntries;
    private final Clock clock;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicInteger sweepAtSize;
    private final AtomicLong nextSweepMillis;

    ExpiringEntries(Function<V, Instant> untilOf, BinaryOperator<V> merge, int maxEntries, Clock clock) {
        this.untilOf = requireNonNull(untilOf, "untilOf");
        this.merge = requireNonNull(merge, "merge");
        this.maxEntries = maxEntries;
        this.clock = requireNonNull(clock, "clock");
        this.sweepAtSize = new AtomicInteger(nextSweepSize(0));
        this.nextSweepMillis = new AtomicLong(clock.millis() + SWEEP_INTERVAL.toMillis());
    }

    /** The entry for {@code key}, expired or not, or null; never blocks. */
    V get(String key) {
        return entries.get(key);
    }

    /** Merges {@code value} into the entry for {@code key}; an already expired value is ignored. */
    void put(String key, V value) {
        Instant now = clock.instant();
        if (!untilOf.apply(value).isAfter(now)) {
            return;
        }
        entries.merge(key, value, merge);
        if (entries.size() >= sweepAtSize.get() || now.toEpochMilli() >= nextSweepMillis.get()) {
            sweep(now);
        }
    }

    int size() {
        return entries.size();
    }

    private void sweep(Instant now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            // entrySet().removeIf removes an entry only if it is unchanged, so a racing merge wins.
            entries.entrySet().removeIf(entry -> !untilOf.apply(entry.getValue()).isAfter(now));
            if (entries.size() > maxEntries) {
                dropSoonestExpiring(entries.size() - maxEntries * 9 / 10);
            }
            sweepAtSize.set(nextSweepSize(entries.size()));
            nextSweepMillis.set(now.toEpochMilli() + SWEEP_INTERVAL.toMillis());
        } finally {
            sweeping.set(false);
        }
    }

    private void dropSoonestExpiring(int count) {
        List<Map.Entry<String, V>> live = new ArrayList<>(entries.entrySet());
        live.sort(Comparator.comparing(entry -> untilOf.apply(entry.getValue())));
        for (Map.Entry<String, V> entry : live.subList(0, Math.min(count, live.size()))) {
            entries.remove(entry.getKey(), entry.getValue());
        }
    }

    private int nextSweepSize(int size) {
        long doubled = Math.max(MIN_SWEEP_SIZE, 2L * size);
        return (int) Math.min(doubled, maxEntries + 1L);
    }
}
