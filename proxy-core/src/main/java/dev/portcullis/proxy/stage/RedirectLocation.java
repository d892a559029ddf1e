package dev.portcullis.proxy.stage;

import dev.portcullis.config.route.RouteAction.Redirect;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RouteMatch.PathMatch;

/**
 * The {@code Location} of a {@code redirect:} route, built from the request URL as the browser
 * used it (scheme from the route's {@code from}, host and port from the request) with the
 * route's replacements applied.
 */
final class RedirectLocation {
    private RedirectLocation() {}

    static String build(Exchange rc, Redirect redirect, RouteMatch match) {
        String scheme = redirect.httpsRedirect() ? "https" : redirect.schemeRedirect().orElse(match.scheme());
        boolean schemeChanged = !scheme.equals(match.scheme());
        String host = redirect.hostRedirect().orElse(rc.host().name());
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = redirect.portRedirect().orElse(schemeChanged || redirect.hostRedirect().isPresent()
                ? -1 : rc.host().port().orElse(-1));
        boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String path = redirect.pathRedirect().orElseGet(() -> rewrittenPath(rc.target().path(), redirect, match));
        StringBuilder location = new StringBuilder(scheme).append("://").append(host);
        if (!defaultPort) {
            location.append(':').append(port);
        }
        location.append(path);
        if (!redirect.stripQuery()) {
            rc.target().query().ifPresent(q -> location.append('?').append(q));
        }
        return location.toString();
    }

    private static String rewrittenPath(String path, Redirect redirect, RouteMatch match) {
        if (redirect.prefixRewrite().isEmpty()) {
            return path;
        }
        String prefix = match.path() instanceof PathMatch.Prefix p ? p.prefix() : "/";
        return path.startsWith(prefix) ? redirect.prefixRewrite().get() + path.substring(prefix.length()) : path;
    }
}
