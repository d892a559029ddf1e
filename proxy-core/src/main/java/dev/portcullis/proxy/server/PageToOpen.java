package dev.portcullis.proxy.server;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteMatch;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address a person trying the proxy on their own machine should open: with the listener on a
 * loopback address, the first route with a plain host name, on the port actually bound
 * ({@code http://private.localhost:8080/} for the quickstart). Elsewhere the proxy sits behind names
 * and ports it cannot know (DSM's reverse proxy, a published container port), so there is none.
 */
final class PageToOpen {
    private PageToOpen() {}

    static Optional<String> of(List<Route> routes, InetSocketAddress listener) {
        if (listener.getAddress() == null || !listener.getAddress().isLoopbackAddress()) {
            return Optional.empty();
        }
        return routes.stream().map(Route::match).filter(m -> !m.wildcardHost()).findFirst()
                .map(match -> match.scheme() + "://" + match.host() + port(match, listener.getPort()) + "/");
    }

    private static String port(RouteMatch match, int bound) {
        int port = match.port().orElse(bound);
        return port == match.defaultPort() ? "" : ":" + port;
    }
}
