package dev.portcullis.config.internal.source;

import dev.portcullis.policy.EditDistance;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The known key (or word: a provider name) a misspelt one was probably meant to be: the closest by
 * optimal string alignment distance (insertions, deletions, substitutions, adjacent transpositions),
 * when close enough.
 */
public final class NearestKey {

    private NearestKey() {}

    /** The candidate nearest to {@code typed}, if within a quarter of its length (1 to 3 edits). */
    public static Optional<String> to(String typed, Collection<String> candidates) {
        int allowed = Math.max(1, Math.min(3, typed.length() / 4));
        return candidates.stream()
                .filter(c -> EditDistance.between(typed, c) <= allowed)
                .min(Comparator.comparingInt((String c) -> EditDistance.between(typed, c)).thenComparing(c -> c));
    }
}
