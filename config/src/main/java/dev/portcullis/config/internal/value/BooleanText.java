package dev.portcullis.config.internal.value;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Booleans as people write them: Go's {@code strconv.ParseBool} words ({@code true}, {@code TRUE},
 * {@code True}, {@code t}, {@code 1}, and their false twins) plus YAML 1.1's {@code yes}/{@code no},
 * {@code on}/{@code off} in any case.
 */
public final class BooleanText {

    private static final Set<String> TRUE = Set.of("true", "t", "1", "yes", "y", "on");
    private static final Set<String> FALSE = Set.of("false", "f", "0", "no", "n", "off");

    private BooleanText() {}

    /** The boolean {@code text} denotes, or empty. */
    public static Optional<Boolean> parse(String text) {
        String word = text.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(word)) {
            return Optional.of(true);
        }
        if (FALSE.contains(word)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }
}
