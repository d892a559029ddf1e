package dev.portcullis.authn.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code Cookie} request header (RFC 6265 §4.2 and §5.4) leniently, as servers must: pairs
 * separated by {@code ;}, optional spaces or tabs around them, an optionally double-quoted value. A
 * pair without {@code =} is kept with an empty name so that it can be passed on untouched.
 */
final class CookieHeader {

    /** One cookie pair: its name, its value without quotes, and its text as the client sent it. */
    record Pair(String name, String value, String raw) {
    }

    private CookieHeader() {
    }

    /** The pairs of every header, in order; null or empty headers give nothing. */
    static List<Pair> parse(List<String> headers) {
        List<Pair> pairs = new ArrayList<>();
        if (headers != null) {
            for (String header : headers) {
                parseInto(header, pairs);
            }
        }
        return pairs;
    }

    static List<Pair> parse(String header) {
        List<Pair> pairs = new ArrayList<>();
        parseInto(header, pairs);
        return pairs;
    }

    private static void parseInto(String header, List<Pair> pairs) {
        if (header == null) {
            return;
        }
        for (String segment : header.split(";", -1)) {
            String raw = trimOws(segment);
            if (raw.isEmpty()) {
                continue;
            }
            int equals = raw.indexOf('=');
            if (equals < 0) {
                pairs.add(new Pair("", raw, raw));
            } else {
                String name = trimOws(raw.substring(0, equals));
                pairs.add(new Pair(name, unquote(trimOws(raw.substring(equals + 1))), raw));
            }
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String trimOws(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isOws(text.charAt(start))) {
            start++;
        }
        while (end > start && isOws(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
