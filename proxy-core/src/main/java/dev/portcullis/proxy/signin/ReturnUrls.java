package dev.portcullis.proxy.signin;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides where the proxy may send a browser after sign-in or sign-out: only to URLs on hosts that
 * are routes of this configuration, with the route's scheme (no open redirect). Programmatic login
 * hands a session only to hosts in {@code programmatic_redirect_domain_whitelist}; as in Pomerium,
 * {@code localhost} there also admits loopback address literals ({@code 127.0.0.1}, {@code [::1]}),
 * where {@code pomerium-cli} listens for the token ({@code http://127.0.0.1:<port>}).
 */
final class ReturnUrls {
    private final RouteTable routes;
    private final List<String> programmaticDomains;

    ReturnUrls(RouteTable routes, List<String> programmaticDomains) {
        this.routes = routes;
        this.programmaticDomains = programmaticDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    /** {@code text} as a URL on one of this configuration's route hosts, without fragment; empty otherwise. */
    Optional<URI> routeUrl(String text) {
        return absolute(text).filter(uri -> routeOf(uri).map(match -> match.scheme().equals(uri.getScheme())).orElse(false));
    }

    /**
     * The public URL of {@code path} on the route host {@code host}, with the scheme its routes use and the port
     * the browser named, unless it is that scheme's default (browsers leave it out of what they send back).
     */
    Optional<URI> onRouteHost(RequestHost host, String pathAndQuery) {
        return routes.hostRoute(host).map(match -> URI.create(match.scheme() + "://" + host.authorityFor(match.scheme())
                + pathAndQuery));
    }

    /** The host {@code uri} names, as a request to it would carry it; null when it names none that could be. */
    static RequestHost hostOf(URI uri) {
        return uri.getRawAuthority() == null ? null : RequestHost.parse(uri.getRawAuthority());
    }

    /** Whether {@code host} is served by a route of this configuration. */
    boolean isRouteHost(RequestHost host) {
        return routes.hostRoute(host).isPresent();
    }

    /** Whether {@code uri} may receive a programmatic login's token. */
    boolean programmaticTarget(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return programmaticDomains.stream().anyMatch(domain -> host.equals(domain) || host.endsWith("." + domain)
                || (domain.equals("localhost") && isLoopbackLiteral(host)));
    }

    /** {@code 127.x.y.z}, or {@code [::1]} in its short or full spelling: an address, never a name to look up. */
    private static boolean isLoopbackLiteral(String host) {
        if (host.equals("[::1]") || host.equals("[0:0:0:0:0:0:0:1]")) {
            return true;
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} as an absolute http(s) URL with a host and no user info, fragment removed. */
    static Optional<URI> absolute(String text) {
        if (text == null || text.isEmpty() || text.length() > 4096) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null
                    || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return Optional.of(new URI(scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path + query));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The route that serves {@code uri} (a {@link #routeUrl}), which decides how people sign in to it. */
    Optional<Route> routeFor(URI uri) {
        RequestHost host = hostOf(uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return host == null ? Optional.empty() : routeFor(host, path);
    }

    /** The route that serves {@code path} on {@code host}, as for a request there. */
    Optional<Route> routeFor(RequestHost host, String path) {
        return routes.resolve(host, path).map(RouteEntry::route);
    }

    /** The host (with port when it has one) of {@code uri}, as written in it: for logs. */
    static String authority(URI uri) {
        return uri.getRawAuthority().toLowerCase(Locale.ROOT);
    }

    private Optional<RouteMatch> routeOf(URI uri) {
        RequestHost host = hostOf(uri);
        return host == null ? Optional.empty() : routes.hostRoute(host);
    }
}
