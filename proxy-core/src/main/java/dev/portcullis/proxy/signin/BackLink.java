package dev.portcullis.proxy.signin;

import dev.portcullis.proxy.route.RequestHost;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the "Back to" link of {@code /.pomerium/} leads: the page the person came from, read from the
 * request's {@code Referer}, when that page is on the same host (scheme http or https, same host and
 * port) and is not one of the proxy's own pages. Only its path and query are kept, so the link can
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
                .filter(uri -> uri.getRawAuthority().equalsIgnoreCase(host.authority()))
                .map(uri -> (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .filter(path -> path.startsWith("/") && !path.startsWith("//") && !path.startsWith(OWN_PAGES));
    }

    private static Optional<URI> parse(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
