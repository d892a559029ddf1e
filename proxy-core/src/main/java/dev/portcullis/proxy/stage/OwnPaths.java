package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteTable;
import java.util.Optional;

/**
 * The one table of what belongs to the proxy rather than to a route: which hosts and paths it
 * answers itself, before routing and policy. Nothing else decides whether a path is the proxy's.
 *
 * <table>
 *   <caption>The proxy's own paths</caption>
 *   <tr><th>path</th><th>host</th><th>owner</th></tr>
 *   <tr><td>{@code /ping}, {@code /healthz}</td><td>every host</td><td>{@link Owner#HEALTH}</td></tr>
 *   <tr><td>every path</td><td>the {@code forward_auth_url} host</td><td>{@link Owner#FORWARD_AUTH}
 *       ({@code /verify} and {@code /} check, the rest is not found)</td></tr>
 *   <tr><td>every path ({@code /.pomerium/sign_in}, the callback path, the built-in provider's
 *       pages …)</td><td>the {@code authenticate_service_url} host, when sign-in is configured</td>
 *       <td>{@link Owner#AUTHENTICATE}</td></tr>
 *   <tr><td>{@code /.well-known/pomerium} and everything under {@code /.well-known/pomerium/} (unknown
 *       paths there are 404, never proxied)</td><td>route hosts</td><td>{@link Owner#KEY_SET}</td></tr>
 *   <tr><td>{@code /.pomerium} and everything below {@code /.pomerium/}</td><td>route hosts</td>
 *       <td>{@link Owner#ROUTE_PAGES}</td></tr>
 *   <tr><td>every other path of a request shaped as a check ({@code X-Forwarded-Method},
 *       {@code X-Forwarded-Uri} or {@code X-Original-Url})</td><td>a host whose routes all only answer
 *       checks (no {@code to}, {@code redirect} or {@code response})</td><td>{@link Owner#ROUTE_HOST_CHECK}
 *       ({@code /verify} and {@code /} check, the rest is not found)</td></tr>
 * </table>
 *
 * Hosts compare by name, and by port only when both the configured URL and the request name one.
 * On the plain-HTTP listener of {@code http_redirect_addr}, which redirects everything else to
 * https, the health checks and {@link #ACME_CHALLENGE_PREFIX} (autocert's HTTP-01) are the proxy's.
 */
public final class OwnPaths {
    public static final String PING = "/ping";
    public static final String HEALTHZ = "/healthz";
    public static final String WELL_KNOWN = "/.well-known/pomerium";
    public static final String JWKS = WELL_KNOWN + "/jwks.json";
    public static final String POMERIUM = "/.pomerium";
    public static final String POMERIUM_PREFIX = POMERIUM + "/";
    public static final String ACME_CHALLENGE_PREFIX = "/.well-known/acme-challenge/";

    /** Who answers one of the proxy's own paths. */
    public enum Owner {
        /** {@code 200 OK}, for load balancers and container health checks. */
        HEALTH,
        /** A forward-auth check ({@code /verify}, {@code /}) from a front proxy. */
        FORWARD_AUTH,
        /** The authenticate service: sign-in, the provider's callback, sign-out … */
        AUTHENTICATE,
        /** The assertion's key set and Pomerium's metadata document. */
        KEY_SET,
        /** {@code /.pomerium/…} on a route host: the hand-off, the user page, sign-out, programmatic login. */
        ROUTE_PAGES,
        /**
         * A forward-auth check sent with the client's {@code Host} (Caddy's {@code forward_auth}) to a host
         * where nothing is forwarded: it is answered, never proxied, so it cannot reach an application.
         */
        ROUTE_HOST_CHECK
    }

    private final Optional<RequestHost> authenticateHost;
    private final Optional<RequestHost> forwardAuthHost;
    private final RouteTable routes;

    /**
     * @param authenticateHost the authenticate service's host, when sign-in is configured
     * @param forwardAuthHost  the {@code forward_auth_url} host, when set
     */
    public OwnPaths(Optional<RequestHost> authenticateHost, Optional<RequestHost> forwardAuthHost, RouteTable routes) {
        this.authenticateHost = requireNonNull(authenticateHost, "authenticateHost");
        this.forwardAuthHost = requireNonNull(forwardAuthHost, "forwardAuthHost");
        this.routes = requireNonNull(routes, "routes");
    }

    /** Whether {@code path} is a health check, answered on every host and every listener. */
    public static boolean isHealthCheck(String path) {
        return path.equals(PING) || path.equals(HEALTHZ);
    }

    /**
     * Who answers {@code path} on {@code host}; empty when it is for a route.
     *
     * @param checkShaped whether the request carries a forward-auth check's headers
     */
    public Optional<Owner> ownerOf(RequestHost host, String path, boolean checkShaped) {
        if (isHealthCheck(path)) {
            return Optional.of(Owner.HEALTH);
        }
        if (forwardAuthHost.filter(host::isServedAs).isPresent()) {
            return Optional.of(Owner.FORWARD_AUTH);
        }
        Optional<Owner> signIn = signInOwnerOf(host, path);
        if (signIn.isEmpty() && checkShaped && routes.checksOnly(host)) {
            return Optional.of(Owner.ROUTE_HOST_CHECK);
        }
        return signIn;
    }

    /**
     * Who among sign-in answers {@code path} on {@code host}: for the URL a forward-auth check asks
     * about, where only sign-in's paths (a hand-off arriving through the front proxy) are the proxy's.
     */
    public Optional<Owner> signInOwnerOf(RequestHost host, String path) {
        if (authenticateHost.filter(host::isServedAs).isPresent()) {
            return Optional.of(Owner.AUTHENTICATE);
        }
        // the whole prefix, not only the documents served under it: nothing there may reach an upstream
        boolean keySet = path.equals(WELL_KNOWN) || path.startsWith(WELL_KNOWN + "/");
        boolean pages = path.equals(POMERIUM) || path.startsWith(POMERIUM_PREFIX);
        if ((keySet || pages) && routes.hostRoute(host).isPresent()) {
            return Optional.of(keySet ? Owner.KEY_SET : Owner.ROUTE_PAGES);
        }
        return Optional.empty();
    }
}
