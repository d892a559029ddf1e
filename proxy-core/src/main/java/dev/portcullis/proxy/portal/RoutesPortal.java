package dev.portcullis.proxy.portal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import dev.portcullis.proxy.access.AccessDecision;
import dev.portcullis.proxy.access.AccessGate;
import dev.portcullis.proxy.access.AccessRequestFacts;
import dev.portcullis.proxy.access.ClientCertificateStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides which routes the routes portal lists for a signed-in person: each route whose policy lets
 * them {@code GET} its link, asked of the same {@link AccessGate} that guards the route, with this
 * request's client address and certificate and the proxy's clock — so the portal never lists a route
 * its person would be refused, and a stranger never sees the list. A check that fails leaves its route
 * out (fail closed).
 *
 * <p>A route has a link when one URL opens it: routes with a wildcard host ({@code *.example.com}) or
 * a {@code regex} path are left out (Pomerium lists them with their {@code from}, which no browser can
 * open). The link is the route's scheme and host, the port of {@code from} or else the port the browser
 * used for the portal, and the route's {@code path} or {@code prefix} ({@code /} without one). Of several
 * routes with the same link, only the first is listed, since only the first is ever reached there.
 */
public final class RoutesPortal {
    private final List<Route> routes;
    private final AccessGate gate;

    public RoutesPortal(List<Route> routes, AccessGate gate) {
        this.routes = List.copyOf(requireNonNull(routes, "routes"));
        this.gate = requireNonNull(gate, "gate");
    }

    /**
     * The routes {@code session}'s person may open.
     *
     * @param browserPort   the port the browser named for the portal's host, if it named one
     * @param clientAddress the client's address, as the policies see it
     * @param certificate   the client certificate of this connection, with what the configuration demands
     */
    public CompletionStage<List<PortalRoute>> openableBy(Session session, OptionalInt browserPort, String clientAddress,
            ClientCertificateStatus certificate) {
        Map<String, Route> byLink = new LinkedHashMap<>();
        for (Route route : routes) {
            link(route.match(), browserPort).ifPresent(link -> byLink.putIfAbsent(link, route));
        }
        List<CompletableFuture<Optional<PortalRoute>>> checks = new ArrayList<>();
        byLink.forEach((link, route) -> checks.add(check(route, link, session, clientAddress, certificate)));
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .thenApply(all -> checks.stream().flatMap(check -> check.join().stream()).toList());
    }

    private CompletableFuture<Optional<PortalRoute>> check(Route route, String link, Session session, String clientAddress,
            ClientCertificateStatus certificate) {
        AccessRequestFacts facts = new AccessRequestFacts("GET", route.match().path().literalPath(), clientAddress, false,
                Optional.of(session), certificate);
        CompletionStage<AccessDecision> decision;
        try {
            decision = gate.decide(route, facts);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return decision.toCompletableFuture().handle((decided, failure) -> failure == null
                && decided instanceof AccessDecision.Allow
                ? Optional.of(new PortalRoute(idOf(route, link), route.name(), link, route.portal().description(),
                        route.portal().logoUrl()))
                : Optional.<PortalRoute>empty());
    }

    /** The URL that opens {@code match}'s route, when one does. */
    private static Optional<String> link(RouteMatch match, OptionalInt browserPort) {
        if (match.wildcardHost() || match.path() instanceof PathMatch.Regex) {
            return Optional.empty();
        }
        OptionalInt port = match.port().isPresent() ? match.port() : browserPort;
        String host = match.host().indexOf(':') >= 0 ? "[" + match.host() + "]" : match.host();
        boolean defaultPort = port.isEmpty() || port.getAsInt() == match.defaultPort();
        return Optional.of(match.scheme() + "://" + host + (defaultPort ? "" : ":" + port.getAsInt())
                + match.path().literalPath());
    }

    /** 16 hex digits of SHA-256 over where the route was declared and its link: stable across restarts. */
    private static String idOf(Route route, String link) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((route.yamlPath() + "\n" + link).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
