package dev.portcullis.proxy.acme;

import dev.portcullis.config.Options;
import dev.portcullis.config.route.Route;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host names {@code autocert} holds certificates for: every route's {@code from} host, the
 * authenticate host and the forward-auth host. Left out, since no ACME CA issues them over
 * HTTP-01 or TLS-ALPN-01: wildcard hosts (they need DNS-01), IP addresses, and names that are not
 * public ({@code localhost}, {@code *.localhost}, names without a dot).
 */
public final class AutocertNames {
    private AutocertNames() {}

    /** The names of {@code options}, lower case, sorted. */
    public static Set<String> of(Options options) {
        Set<String> names = new TreeSet<>();
        for (Route route : options.routes()) {
            add(names, route.match().host());
        }
        options.authenticateServiceUrl().map(URI::getHost).ifPresent(host -> add(names, host));
        options.forwardAuth().url().map(URI::getHost).ifPresent(host -> add(names, host));
        return names;
    }

    private static void add(Set<String> names, String host) {
        Optional.ofNullable(host).map(h -> h.toLowerCase(Locale.ROOT)).filter(AutocertNames::isIssuable).ifPresent(names::add);
    }

    /** Whether an ACME CA could validate {@code host} over HTTP-01 or TLS-ALPN-01. */
    static boolean isIssuable(String host) {
        return !host.contains("*") && host.indexOf('.') > 0 && !host.endsWith(".localhost")
                && !host.chars().allMatch(c -> Character.isDigit(c) || c == '.') && !host.contains(":");
    }
}
