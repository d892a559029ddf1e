package dev.portcullis.proxy.access;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.Route;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.proxy.pages.ProxyFailure;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides with the route's compiled policy, for the signed-in user's identity when the request
 * carries a session. A policy that needs an identity the request lacks asks for sign-in.
 * Evaluation is in memory and completes at once.
 */
public final class PolicyGate implements AccessGate {
    private static final CompletionStage<AccessDecision> ALLOW = CompletableFuture.completedFuture(AccessDecision.ALLOW);

    private final Clock clock;

    /** @param clock the time policies see ({@code date}, {@code day_of_week}, {@code time_of_day}) */
    public PolicyGate(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<AccessDecision> decide(Route route, AccessRequestFacts request) {
        Decision decision = route.access().compiled().evaluate(new AccessRequest(request.session().map(Session::identity), request.method(),
                request.path(), request.clientAddress(), clock.instant(), isCorsPreflight(request), Optional.empty(), false));
        return switch (decision.outcome()) {
            case ALLOW -> ALLOW;
            case SIGN_IN -> CompletableFuture.completedFuture(new AccessDecision.SignIn(decision));
            case FORBIDDEN -> deny(ProxyFailure.FORBIDDEN, decision);
            case CLIENT_CERTIFICATE_REQUIRED -> deny(ProxyFailure.CLIENT_CERTIFICATE_REQUIRED, decision);
        };
    }

    private static CompletionStage<AccessDecision> deny(ProxyFailure failure, Decision decision) {
        return CompletableFuture.completedFuture(new AccessDecision.Deny(failure, Optional.of(decision)));
    }

    /** A CORS preflight: {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}. */
    static boolean isCorsPreflight(AccessRequestFacts request) {
        return request.method().equals("OPTIONS")
                && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }
}
