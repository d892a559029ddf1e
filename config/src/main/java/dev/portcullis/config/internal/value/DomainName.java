package dev.portcullis.config.internal.value;

import java.util.regex.Pattern;

/**
 * A DNS host name as browsers use it (RFC 1123 §2.1): dot-separated labels of letters, digits and
 * {@code -}, each 1 to 63 characters, neither starting nor ending with {@code -}; 253 characters at most.
 * An IPv4 address is one too. No port, no scheme, no wildcard.
 */
public final class DomainName {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final int LONGEST = 253;

    private DomainName() {}

    /** Whether {@code text} is a host name. */
    public static boolean is(String text) {
        if (text.isEmpty() || text.length() > LONGEST || text.startsWith(".") || text.endsWith(".")) {
            return false;
        }
        for (String label : text.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
