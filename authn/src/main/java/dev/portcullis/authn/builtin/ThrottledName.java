package dev.portcullis.authn.builtin;

/**
 * An email or client address a sign-in throttle names in its log line when it locks one: the client chose it, so
 * control characters (which could forge log lines) are dropped and it is cut to {@link #MAX_LENGTH} characters.
 */
public final class ThrottledName {
    /** The most characters of a name a log line shows. */
    static final int MAX_LENGTH = 100;

    private ThrottledName() {}

    /** {@code value} as a log line may show it. */
    public static String printable(String value) {
        String cleaned = value.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) + "…" : cleaned;
    }
}
