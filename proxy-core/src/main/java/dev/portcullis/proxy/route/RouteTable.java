package dev.portcullis.proxy.route;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
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
import java.util.stream.Stream;

/**
 * Every route of one configuration snapshot, indexed for lookup. Precedence as COMPAT.md says:
 * exact-host routes in declaration order, then wildcard-host routes in declaration order;
 * within each, the first route whose path matcher accepts the path wins. A TCP route
 * ({@code tcp+https://host:port}) is found only for a {@code CONNECT} to exactly its host and port
 * ({@link #resolveConnect}), never for another request. Immutable.
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
     * The TCP route for a {@code CONNECT} to {@code authority} (always {@code host:port}): the first
     * whose host matches and whose port is exactly the one asked for. Empty for any other host or
     * port: the proxy opens no tunnel that a route does not name.
     */
    public Optional<RouteEntry> resolveConnect(RequestHost authority) {
        List<RouteEntry> candidates = exactHosts.get(authority.name());
        if (candidates != null) {
            for (RouteEntry entry : candidates) {
                if (entry.route().match().connect() && portMatches(entry.route().match(), authority)) {
                    return Optional.of(entry);
                }
            }
        }
        for (RouteEntry entry : wildcardHosts) {
            RouteMatch match = entry.route().match();
            if (match.connect() && wildcardMatches(match.host(), authority.name()) && portMatches(match, authority)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * The first route serving {@code host} on any path: whether the host is one of this
     * configuration's, and with which scheme its users reach it. Sign-in uses it to accept only
     * return URLs and hand-offs for its own routes. A TCP route serves its host name at the scheme's
     * default port as well: {@code pomerium-cli} signs in on {@code https://ssh.example.com}, not at
     * the port it tunnels to. Any other port stays foreign, so no sign-in hand-off is ever sent there.
     */
    public Optional<RouteMatch> hostRoute(RequestHost host) {
        return serving(host).findFirst().map(entry -> entry.route().match());
    }

    /**
     * Whether {@code host} is served by routes and every one of them only answers forward-auth checks
     * (no {@code to}, {@code redirect} or {@code response}): nothing on the host is ever forwarded,
     * so a request there that looks like a check may be answered as one.
     */
    public boolean checksOnly(RequestHost host) {
        List<RouteEntry> entries = serving(host).toList();
        return !entries.isEmpty()
                && entries.stream().allMatch(entry -> entry.route().action() instanceof RouteAction.ForwardAuthOnly);
    }

    /** Every route serving {@code host} on some path, in precedence order. */
    private Stream<RouteEntry> serving(RequestHost host) {
        Stream<RouteEntry> exact = exactHosts.getOrDefault(host.name(), List.of()).stream()
                .filter(entry -> servesHostPort(entry.route().match(), host));
        Stream<RouteEntry> wildcard = wildcardHosts.stream().filter(entry -> {
            RouteMatch match = entry.route().match();
            return wildcardMatches(match.host(), host.name()) && servesHostPort(match, host);
        });
        return Stream.concat(exact, wildcard);
    }

    private static boolean servesHostPort(RouteMatch match, RequestHost host) {
        if (match.connect()) {
            return host.port().orElse(match.defaultPort()) == match.defaultPort() || portMatches(match, host);
        }
        return portMatches(match, host);
    }

    private static boolean portMatches(RouteMatch match, RequestHost host) {
        if (match.port().isEmpty()) {
            return true;
        }
        int requested = host.port().orElse(match.defaultPort());
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
        if (matcher instanceof PathMatch.Connect) {
            return false;
        }
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
