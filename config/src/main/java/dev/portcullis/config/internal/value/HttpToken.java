package dev.portcullis.config.internal.value;

import java.util.regex.Pattern;

/**
 * The token of HTTP (RFC 9110 §5.6.2): one or more {@code tchar}, the letters, digits and
 * {@code !#$%&'*+-.^_`|~}. Header field names (§5.1) and cookie names (RFC 6265 §4.1.1) are tokens.
 */
public final class HttpToken {

    /** What a token may hold, for messages. */
    public static final String EXPECTED = "letters, digits and !#$%&'*+-.^_`|~";

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    private HttpToken() {}

    /** Whether {@code text} is a token. */
    public static boolean is(String text) {
        return TOKEN.matcher(text).matches();
    }
}
