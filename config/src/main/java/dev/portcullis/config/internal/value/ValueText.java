package dev.portcullis.config.internal.value;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How values appear in messages, and which of them are scalars. */
public final class ValueText {

    private static final int LONGEST_QUOTE = 120;

    private ValueText() {}

    /** A scalar as text ({@code 30}, {@code true}, {@code 1.2}); empty for a map, a list or anything else. */
    public static Optional<String> scalar(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return Optional.of(value.toString());
        }
        return Optional.empty();
    }

    /** {@code "30"} for a scalar (shortened when long), {@code a map} or {@code a list} otherwise. */
    public static String describe(Object value) {
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return scalar(value).map(ValueText::quote).orElse("a value of type " + value.getClass().getSimpleName());
    }

    /** Text in double quotes, control characters escaped, shortened to a readable length. */
    public static String quote(String text) {
        String shown = text.length() > LONGEST_QUOTE ? text.substring(0, LONGEST_QUOTE) + "…" : text;
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> quoted.append(c < ' ' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }
}
