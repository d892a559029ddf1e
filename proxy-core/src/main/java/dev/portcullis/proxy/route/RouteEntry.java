package dev.portcullis.proxy.route;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.upstream.UpstreamBalancer;
import java.util.Optional;

/** A route and the runtime state that lives as long as its configuration snapshot: its balancer. */
public record RouteEntry(Route route, Optional<UpstreamBalancer> balancer) {
    public RouteEntry {
        requireNonNull(route, "route");
        requireNonNull(balancer, "balancer");
    }
}
