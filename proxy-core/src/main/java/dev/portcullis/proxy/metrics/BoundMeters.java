package dev.portcullis.proxy.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Meters already looked up in the registry, by the label values that name them, so that a request whose
 * labels were seen before costs one hash lookup instead of building {@code Tags} (a sorted, de-duplicated
 * copy) and a {@code Meter.Id} for each meter and looking that up in the registry.
 *
 * <p>Only a shortcut: a label set it does not hold (never seen, or forgotten) is looked up in the registry,
 * which answers the same meter it answered the first time, so what is recorded never depends on it. It
 * holds at most {@code capacity} entries and forgets the one used least recently: the label values are
 * bounded by the configuration, but a reload that renames routes makes new ones, and the old ones must not
 * stay here for ever.
 *
 * <p>Not thread-safe: every use is on the {@link MetricsWriter}'s one thread.
 *
 * @param <K> the label values, a record with value equality
 * @param <M> what is bound to them: a meter, or a record of the meters one request updates
 */
final class BoundMeters<K, M> {
    private final Map<K, M> bound;
    private final Function<K, M> lookUp;

    /** Holds at most {@code capacity} label sets; {@code lookUp} finds (or registers) their meters. */
    BoundMeters(int capacity, Function<K, M> lookUp) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.lookUp = lookUp;
        this.bound = new LinkedHashMap<>(Math.min(capacity, 64), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, M> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The meters of {@code labels}, looked up in the registry only the first time (or once forgotten). */
    M of(K labels) {
        M meters = bound.get(labels);
        if (meters == null) {
            meters = lookUp.apply(labels);
            bound.put(labels, meters);
        }
        return meters;
    }

    /** How many label sets are held now (at most the capacity). */
    int size() {
        return bound.size();
    }
}
