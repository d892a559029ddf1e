package dev.portcullis.config.internal.value;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Base64 as it arrives in environment variables: standard or URL-safe alphabet, with or without
 * padding, wrapped over lines ({@code base64 -i file} output) or not.
 */
public final class Base64Text {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern STANDARD = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9_-]+={0,2}");

    private Base64Text() {}

    /** Whether {@code text}, whitespace aside, uses only one base64 alphabet. */
    public static boolean looksLikeBase64(String text) {
        String compact = WHITESPACE.matcher(text).replaceAll("");
        return STANDARD.matcher(compact).matches() || URL_SAFE.matcher(compact).matches();
    }

    /** The bytes {@code text} encodes, or empty when it is not base64. */
    public static Optional<byte[]> decode(String text) {
        String compact = WHITESPACE.matcher(text).replaceAll("");
        try {
            if (STANDARD.matcher(compact).matches()) {
                return Optional.of(Base64.getDecoder().decode(compact));
            }
            if (URL_SAFE.matcher(compact).matches()) {
                return Optional.of(Base64.getUrlDecoder().decode(compact));
            }
        } catch (IllegalArgumentException badLength) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
