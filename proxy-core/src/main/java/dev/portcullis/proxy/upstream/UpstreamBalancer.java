package dev.portcullis.proxy.upstream;

import dev.portcullis.config.route.LoadBalancingPolicy;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.UpstreamEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Chooses the order in which a route's endpoints are tried: first the one its {@code load_balancing_policy} picks
 * among the healthy ones (weighted round-robin, weighted random, or the one with fewer requests in flight of two
 * picked at random by weight, as Envoy's least-request balancer does), then the other healthy ones as failover, then
 * (last resort) those recently marked down. An endpoint whose connection failed is considered down for
 * {@link #DOWN_FOR_NANOS} (passive health checking); a success marks it up again. Thread-safe and lock-free.
 */
public final class UpstreamBalancer {
    static final long DOWN_FOR_NANOS = 5_000_000_000L;

    private final List<UpstreamEndpoint> endpoints;
    private final LoadBalancingPolicy policy;
    private final int[] schedule;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLongArray downUntil;
    private final AtomicIntegerArray inFlight;

    UpstreamBalancer(List<UpstreamEndpoint> endpoints) {
        this(endpoints, LoadBalancingPolicy.ROUND_ROBIN);
    }

    UpstreamBalancer(List<UpstreamEndpoint> endpoints, LoadBalancingPolicy policy) {
        this.endpoints = List.copyOf(endpoints);
        this.policy = policy;
        this.downUntil = new AtomicLongArray(endpoints.size());
        this.inFlight = new AtomicIntegerArray(endpoints.size());
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
                ? Optional.of(new UpstreamBalancer(forward.endpoints(), forward.loadBalancing()))
                : Optional.empty();
    }

    /** Every endpoint, in the order to try them for one request. */
    public List<UpstreamEndpoint> attemptOrder() {
        long now = System.nanoTime();
        int first = switch (policy) {
            case ROUND_ROBIN -> roundRobin(now);
            case RANDOM -> weightedRandom(now, -1);
            case LEAST_REQUEST -> leastRequest(now);
        };
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

    private int roundRobin(long now) {
        for (int tries = 0; tries < schedule.length; tries++) {
            int candidate = schedule[(int) Math.floorMod(next.getAndIncrement(), (long) schedule.length)];
            if (isUp(candidate, now)) {
                return candidate;
            }
        }
        return -1;
    }

    /** An endpoint that is up, other than {@code except}, at random by weight; -1 when there is none. */
    private int weightedRandom(long now, int except) {
        int total = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            if (i != except && isUp(i, now)) {
                total += endpoints.get(i).weight();
            }
        }
        if (total == 0) {
            return -1;
        }
        int ticket = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < endpoints.size(); i++) {
            if (i != except && isUp(i, now)) {
                ticket -= endpoints.get(i).weight();
                if (ticket < 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Envoy's power of two choices: of two endpoints picked by weight, the one with fewer requests in flight. */
    private int leastRequest(long now) {
        int one = weightedRandom(now, -1);
        int other = one < 0 ? -1 : weightedRandom(now, one);
        if (other < 0) {
            return one;
        }
        return inFlight.get(other) < inFlight.get(one) ? other : one;
    }

    /** A request started on {@code endpoint} (for {@code LEAST_REQUEST}); {@link #finished} must follow. */
    public void started(UpstreamEndpoint endpoint) {
        int i = endpoints.indexOf(endpoint);
        if (i >= 0) {
            inFlight.incrementAndGet(i);
        }
    }

    /** A request on {@code endpoint} ended, whatever its outcome. */
    public void finished(UpstreamEndpoint endpoint) {
        int i = endpoints.indexOf(endpoint);
        if (i >= 0) {
            inFlight.decrementAndGet(i);
        }
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
