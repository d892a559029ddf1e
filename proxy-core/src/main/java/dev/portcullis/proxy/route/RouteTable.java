package dev.portcullis.proxy.route;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import dev.portcullis.proxy.access.RouteClientCertificates;
import dev.portcullis.proxy.upstream.UpstreamBalancer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every route of one configuration snapshot, indexed for lookup. Precedence as COMPAT.md says:
 * exact-host routes in declaration order, then wildcard-host routes in declaration order;
 * within each, the first route whose path matcher accepts the path wins. Immutable.
 */
public final class RouteTable {
    private final Map<String, List<RouteEntry>> exactHosts;
    private final List<RouteEntry> wildcardHosts;

    private RouteTable(Map<String, List<RouteEntry>> exactHosts, List<RouteEntry> wildcardHosts) {
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
    }

    /** Indexes {@code routes}, creating each forwarding route's balancer; no {@code downstream_mtls}. */
    public static RouteTable of(List<Route> routes) {
        return of(routes, Optional.empty());
    }

    /**
     * Indexes {@code routes}, creating each forwarding route's balancer and the judges of client certificates.
     *
     * @param mtls the top-level {@code downstream_mtls}
     * @throws IllegalArgumentException naming a route's {@code tls_downstream_client_ca} that cannot be read
     */
    public static RouteTable of(List<Route> routes, Optional<DownstreamMtls> mtls) {
        boolean anyOwnCa = routes.stream().anyMatch(r -> r.downstreamClientCaPem().isPresent());
        Map<String, List<RouteEntry>> exact = new HashMap<>();
        List<RouteEntry> wildcard = new ArrayList<>();
        for (Route route : routes) {
            RouteEntry entry = new RouteEntry(route, UpstreamBalancer.forRoute(route),
                    RouteClientCertificates.of(route, mtls, anyOwnCa, Clock.systemUTC()));
            if (route.match().wildcardHost()) {
                wildcard.add(entry);
            } else {
                exact.computeIfAbsent(route.match().host(), h -> new ArrayList<>()).add(entry);
            }
        }
        exact.replaceAll((host, entries) -> List.copyOf(entries));
        return new RouteTable(Map.copyOf(exact), List.copyOf(wildcard));
    }

    /** The route for a request to {@code host} with the normalised {@code path}. */
    public Optional<RouteEntry> resolve(RequestHost host, String path) {
        List<RouteEntry> candidates = exactHosts.get(host.name());
        if (candidates != null) {
            for (RouteEntry entry : candidates) {
                if (portMatches(entry.route().match(), host) && pathMatches(entry.route().match().path(), path)) {
                    return Optional.of(entry);
                }
            }
        }
        for (RouteEntry entry : wildcardHosts) {
            RouteMatch match = entry.route().match();
            if (wildcardMatches(match.host(), host.name()) && portMatches(match, host)
                    && pathMatches(match.path(), path)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * The first route serving {@code host} on any path: whether the host is one of this
     * configuration's, and with which scheme its users reach it. Sign-in uses it to accept only
     * return URLs and hand-offs for its own routes.
     */
    public Optional<RouteMatch> hostRoute(RequestHost host) {
        List<RouteEntry> candidates = exactHosts.get(host.name());
        if (candidates != null) {
            for (RouteEntry entry : candidates) {
                if (portMatches(entry.route().match(), host)) {
                    return Optional.of(entry.route().match());
                }
            }
        }
        for (RouteEntry entry : wildcardHosts) {
            RouteMatch match = entry.route().match();
            if (wildcardMatches(match.host(), host.name()) && portMatches(match, host)) {
                return Optional.of(match);
            }
        }
        return Optional.empty();
    }

    private static boolean portMatches(RouteMatch match, RequestHost host) {
        if (match.port().isEmpty()) {
            return true;
        }
        int requested = host.port().orElse(match.scheme().equals("https") ? 443 : 80);
        return requested == match.port().getAsInt();
    }

    static boolean wildcardMatches(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return host.length() > suffix.length() && host.endsWith(suffix);
        }
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return host.length() > prefix.length() && host.startsWith(prefix);
        }
        return false;
    }

    static boolean pathMatches(PathMatch matcher, String path) {
        if (matcher instanceof PathMatch.Exact exact) {
            return path.equals(exact.path());
        }
        if (matcher instanceof PathMatch.Prefix prefix) {
            return path.startsWith(prefix.prefix());
        }
        if (matcher instanceof PathMatch.Regex regex) {
            return regex.pattern().matcher(path).matches();
        }
        return true;
    }
}
