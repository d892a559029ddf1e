package dev.portcullis.config.internal.routes;

/**
 * Converts an Envoy/RE2 regex substitution ({@code \1} refers to group 1) into a Java replacement
 * ({@code $1}). A {@code $} is literal in Envoy, so it is escaped; {@code \\} is a literal backslash.
 */
final class RegexSubstitution {

    private RegexSubstitution() {}

    /** The Java {@link java.util.regex.Matcher#replaceAll(String)} replacement for {@code envoy}. */
    static String toJava(String envoy) {
        StringBuilder java = new StringBuilder();
        for (int i = 0; i < envoy.length(); i++) {
            char c = envoy.charAt(i);
            if (c == '\\' && i + 1 < envoy.length()) {
                char next = envoy.charAt(++i);
                java.append(Character.isDigit(next) ? "$" + next : literal(next));
            } else {
                java.append(literal(c));
            }
        }
        return java.toString();
    }

    /** The highest group number {@code envoy} refers to, 0 when none. */
    static int highestGroup(String envoy) {
        int highest = 0;
        for (int i = 0; i + 1 < envoy.length(); i++) {
            if (envoy.charAt(i) == '\\') {
                char next = envoy.charAt(++i);
                highest = Character.isDigit(next) ? Math.max(highest, next - '0') : highest;
            }
        }
        return highest;
    }

    private static String literal(char c) {
        return c == '$' || c == '\\' ? "\\" + c : String.valueOf(c);
    }
}
