package dev.portcullis.proxy.signin;

import dev.portcullis.proxy.route.RequestHost;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the "Back to" link of {@code /.pomerium/} leads: the page the person came from, read from the
 * request's {@code Referer}, when that page is on the same host (scheme http or https, same host and
 * port, a default port written or not) and is not one of the proxy's own pages. Only its path and query are kept, so the link can
 * never leave the host, whatever the header says.
 */
final class BackLink {
    private static final String OWN_PAGES = "/.pomerium";

    private BackLink() {
    }

    /** The path and query of {@code referer} when it is a page of {@code host}. */
    static Optional<String> onHost(Optional<String> referer, RequestHost host) {
        return referer.flatMap(BackLink::parse)
                .filter(uri -> uri.getScheme() != null && uri.getRawAuthority() != null)
                .filter(uri -> uri.getScheme().toLowerCase(Locale.ROOT).matches("https?"))
                .filter(uri -> sameHostAndPort(uri, host))
                .map(uri -> (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .filter(path -> path.startsWith("/") && !path.startsWith("//") && !path.startsWith(OWN_PAGES));
    }

    /** The same name, and the same port once a scheme's default port is filled in on either side. */
    private static boolean sameHostAndPort(URI referer, RequestHost host) {
        RequestHost from = RequestHost.parse(referer.getRawAuthority());
        String scheme = referer.getScheme().toLowerCase(Locale.ROOT);
        return from != null && from.sameCookieHost(host)
                && from.authorityFor(scheme).equals(host.authorityFor(scheme));
    }

    private static Optional<URI> parse(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
