package dev.portcullis.proxy.tls;

import java.util.Locale;

/**
 * Matching of host names against certificate names and route hosts: exact, case-insensitive,
 * and {@code *.example.com} for exactly one leftmost label as RFC 6125 §6.4.3 allows.
 */
public final class HostNamePattern {
    private HostNamePattern() {}

    /** Whether the certificate name {@code pattern} covers {@code host}. */
    public static boolean certificateCovers(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot).equals(p.substring(1));
    }
}
