package dev.portcullis.policy.internal.compile;

import dev.portcullis.policy.EditDistance;
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
            int distance = EditDistance.between(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= limit ? " (did you mean \"" + best + "\"?)" : "";
    }
}
