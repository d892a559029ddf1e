package dev.portcullis.proxy.upstream;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.UpstreamEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Chooses the order in which a route's endpoints are tried: weighted round-robin over the
 * healthy ones, then the other healthy ones as failover, then (last resort) those recently
 * marked down. An endpoint whose connection failed is considered down for {@link #DOWN_FOR_NANOS}
 * (passive health checking); a success marks it up again. Thread-safe and lock-free.
 */
public final class UpstreamBalancer {
    static final long DOWN_FOR_NANOS = 5_000_000_000L;

    private final List<UpstreamEndpoint> endpoints;
    private final int[] schedule;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLongArray downUntil;

    UpstreamBalancer(List<UpstreamEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        this.downUntil = new AtomicLongArray(endpoints.size());
        List<Integer> slots = new ArrayList<>();
        int maxWeight = endpoints.stream().mapToInt(UpstreamEndpoint::weight).max().orElse(1);
        // Interleaved schedule: a weight-3 and a weight-1 endpoint give a, b, a, a rather than a, a, a, b.
        for (int round = 0; round < maxWeight; round++) {
            for (int i = 0; i < endpoints.size(); i++) {
                if (endpoints.get(i).weight() > round) {
                    slots.add(i);
                }
            }
        }
        this.schedule = slots.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The balancer of a forwarding route; empty for redirects and fixed responses. */
    public static Optional<UpstreamBalancer> forRoute(Route route) {
        return route.action() instanceof RouteAction.Forward forward
                ? Optional.of(new UpstreamBalancer(forward.endpoints()))
                : Optional.empty();
    }

    /** Every endpoint, in the order to try them for one request. */
    public List<UpstreamEndpoint> attemptOrder() {
        long now = System.nanoTime();
        int first = -1;
        for (int tries = 0; tries < schedule.length; tries++) {
            int candidate = schedule[(int) Math.floorMod(next.getAndIncrement(), (long) schedule.length)];
            if (isUp(candidate, now)) {
                first = candidate;
                break;
            }
        }
        List<UpstreamEndpoint> order = new ArrayList<>(endpoints.size());
        if (first >= 0) {
            order.add(endpoints.get(first));
        }
        for (int i = 0; i < endpoints.size(); i++) {
            if (i != first && isUp(i, now)) {
                order.add(endpoints.get(i));
            }
        }
        for (int i = 0; i < endpoints.size(); i++) {
            if (i != first && !isUp(i, now)) {
                order.add(endpoints.get(i));
            }
        }
        return order;
    }

    /** A connection to {@code endpoint} failed: try others first for a while. */
    public void markDown(UpstreamEndpoint endpoint) {
        int i = endpoints.indexOf(endpoint);
        if (i >= 0) {
            downUntil.set(i, System.nanoTime() + DOWN_FOR_NANOS);
        }
    }

    /** A connection to {@code endpoint} succeeded. */
    public void markUp(UpstreamEndpoint endpoint) {
        int i = endpoints.indexOf(endpoint);
        if (i >= 0 && downUntil.get(i) != 0) {
            downUntil.set(i, 0);
        }
    }

    private boolean isUp(int index, long now) {
        long until = downUntil.get(index);
        return until == 0 || now - until >= 0;
    }
}
