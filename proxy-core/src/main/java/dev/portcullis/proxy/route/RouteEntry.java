package dev.portcullis.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.access.RouteClientCertificates;
import dev.portcullis.proxy.upstream.UpstreamBalancer;
import java.util.Optional;

/**
 * A route and the runtime state that lives as long as its configuration snapshot.
 *
 * @param balancer           its endpoints' balancer, for a forwarding route
 * @param clientCertificates how its requests' client certificates are judged, when the connection's verdict does
 *                           not serve ({@link RouteClientCertificates#of})
 */
public record RouteEntry(Route route, Optional<UpstreamBalancer> balancer,
        Optional<RouteClientCertificates> clientCertificates) {
    public RouteEntry {
        requireNonNull(route, "route");
        requireNonNull(balancer, "balancer");
        requireNonNull(clientCertificates, "clientCertificates");
    }
}
