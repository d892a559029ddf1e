package dev.portcullis.policy.internal.compile;

import java.util.Collection;
import java.util.Locale;

/** Suggests the known word a misspelt one was probably meant to be. */
final class Spelling {

    private Spelling() {
    }

    /** {@code  (did you mean "email"?)}, or the empty string when no known word is close. */
    static String didYouMean(String word, Collection<String> known) {
        String lower = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(2, word.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= limit ? " (did you mean \"" + best + "\"?)" : "";
    }

    /** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one edit each. */
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
