package dev.portcullis.proxy.access;

import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.pages.ProxyFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The access gate while sign-in does not exist: a route is served only when it says
 * {@code allow_public_unauthenticated_access: true}; every other route is refused with a page
 * saying that sign-in is not available. Never forwards a protected route without a decision.
 */
public final class PublicRoutesOnly implements AccessGate {
    private static final CompletionStage<AccessDecision> ALLOW = CompletableFuture.completedFuture(AccessDecision.ALLOW);
    private static final CompletionStage<AccessDecision> DENY =
            CompletableFuture.completedFuture(new AccessDecision.Deny(ProxyFailure.SIGN_IN_UNAVAILABLE));

    @Override
    public CompletionStage<AccessDecision> decide(Route route, AccessRequestFacts request) {
        return route.access().legacy().publicAccess() ? ALLOW : DENY;
    }
}
