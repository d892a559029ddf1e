package dev.portcullis.policy.internal.match;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How YAML and JWT values compare as text. Policy values and claim values may be strings, numbers or
 * booleans ({@code claim/email_verified: true}, {@code user: 12345}); both sides are compared as the text
 * YAML would show, exactly.
 */
public final class Scalars {

    private Scalars() {
    }

    /** The text of a string, number or boolean; null for anything else. */
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof Double || value instanceof Float) {
            return value.toString();
        }
        return null;
    }

    /** True when {@code value} is a string, number or boolean whose text is {@code expected}. */
    public static boolean sameText(Object value, String expected) {
        if (value instanceof String s) {
            return s.equals(expected);
        }
        if (value instanceof Boolean b) {
            return b.toString().equals(expected);
        }
        String text = text(value);
        return text != null && text.equals(expected);
    }

    /** A value as shown in explanations: {@code bob}, {@code [a, b]}. */
    public static String display(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Scalars::display).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    /** What kind of YAML value this is, for messages: {@code a string}, {@code a list}, {@code nothing}. */
    public static String kind(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a map";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
