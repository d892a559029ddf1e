package dev.portcullis.config.internal.source;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The known key a misspelt one was probably meant to be: the closest by optimal string alignment
 * distance (insertions, deletions, substitutions, adjacent transpositions), when close enough.
 */
final class NearestKey {

    private NearestKey() {}

    /** The candidate nearest to {@code typed}, if within a quarter of its length (1 to 3 edits). */
    static Optional<String> to(String typed, Collection<String> candidates) {
        int allowed = Math.max(1, Math.min(3, typed.length() / 4));
        return candidates.stream()
                .filter(c -> distance(typed, c) <= allowed)
                .min(Comparator.comparingInt((String c) -> distance(typed, c)).thenComparing(c -> c));
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
