package dev.portcullis.proxy.access;

import dev.portcullis.config.route.Route;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a request may use its route. May complete later (an identity provider call);
 * it must never block. A stage that fails means deny: the proxy fails closed.
 */
@FunctionalInterface
public interface AccessGate {
    CompletionStage<AccessDecision> decide(Route route, AccessRequestFacts request);
}
