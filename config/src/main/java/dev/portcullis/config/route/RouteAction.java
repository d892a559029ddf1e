package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a route does with a request it takes: exactly one of {@code to}, {@code redirect} or {@code response};
 * with {@code forward_auth_url} set, a route may have none of them ({@link ForwardAuthOnly}).
 */
public sealed interface RouteAction {

    /**
     * {@code to:} forward to one of these endpoints, chosen by {@code loadBalancing} among the healthy ones.
     *
     * @param endpoints     the {@code to} URLs, in order
     * @param loadBalancing {@code load_balancing_policy}
     */
    record Forward(List<UpstreamEndpoint> endpoints, LoadBalancingPolicy loadBalancing) implements RouteAction {
        public Forward {
            endpoints = List.copyOf(endpoints);
            requireNonNull(loadBalancing, "loadBalancing");
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
            }
        }

        /** Round-robin by weight. */
        public Forward(List<UpstreamEndpoint> endpoints) {
            this(endpoints, LoadBalancingPolicy.ROUND_ROBIN);
        }
    }

    /**
     * {@code redirect:} answer with a redirect built from the request URL.
     *
     * @param httpsRedirect  switch the scheme to https
     * @param schemeRedirect switch the scheme to this
     * @param hostRedirect   replace the host
     * @param portRedirect   replace the port
     * @param pathRedirect   replace the whole path
     * @param prefixRewrite  replace the route's matched prefix
     * @param responseCode   301 (default), 302, 303, 307 or 308
     * @param stripQuery     drop the query string
     */
    record Redirect(
            boolean httpsRedirect,
            Optional<String> schemeRedirect,
            Optional<String> hostRedirect,
            OptionalInt portRedirect,
            Optional<String> pathRedirect,
            Optional<String> prefixRewrite,
            int responseCode,
            boolean stripQuery) implements RouteAction {
        public Redirect {
            requireNonNull(schemeRedirect, "schemeRedirect");
            requireNonNull(hostRedirect, "hostRedirect");
            requireNonNull(portRedirect, "portRedirect");
            requireNonNull(pathRedirect, "pathRedirect");
            requireNonNull(prefixRewrite, "prefixRewrite");
        }
    }

    /** {@code response:} answer with this status and body (text/plain). */
    record FixedResponse(int status, String body) implements RouteAction {
        public FixedResponse {
            requireNonNull(body, "body");
        }
    }

    /**
     * None of {@code to}, {@code redirect} or {@code response}, allowed only with {@code forward_auth_url}: the
     * route's requests are checked through forward-auth only (its {@code from} and policy decide). In proxy mode
     * the route's host answers like an unknown route.
     */
    record ForwardAuthOnly() implements RouteAction {}
}
