package dev.portcullis.config.route;

/**
 * How a route's {@code to} endpoints share its requests ({@code load_balancing_policy}), with Envoy's meaning as
 * Pomerium configures it. Every policy respects the endpoints' weights and skips endpoints recently found down.
 */
public enum LoadBalancingPolicy {
    /** Each endpoint in turn, by weight (the default). */
    ROUND_ROBIN,
    /** The endpoint with fewer requests in flight, of two picked at random by weight (Envoy's power of two choices). */
    LEAST_REQUEST,
    /** An endpoint at random, by weight. */
    RANDOM
}
