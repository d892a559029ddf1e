package dev.portcullis.proxy.access;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.Route;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Outcome;
import dev.portcullis.proxy.failure.ProxyFailure;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides with the route's compiled policy, for the signed-in user's identity when the request
 * carries a session, with the connection's client certificate. A policy that needs an identity the
 * request lacks asks for sign-in. Evaluation is in memory and completes at once.
 *
 * <p>Answers: allow; sign in; 403; 495 when the policy says a client certificate is required, and
 * also, before the route's policy and on every route (public ones too), when
 * {@code downstream_mtls.enforcement} is {@code policy_with_default_deny} (or {@code reject_connection})
 * and the request has no valid client certificate, as Pomerium's implicit deny rule does.
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
        ClientCertificateStatus certificate = request.clientCertificate();
        if (certificate.defaultDeny() && certificate.invalid()) {
            return deny(ProxyFailure.CLIENT_CERTIFICATE_REQUIRED, defaultDeny(certificate));
        }
        Decision decision = route.access().compiled().evaluate(new AccessRequest(request.session().map(Session::identity), request.method(),
                request.path(), request.clientAddress(), clock.instant(), request.corsPreflight(),
                certificate.presented(), certificate.invalid()));
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

    /** The implicit deny of a request without a valid certificate, with Pomerium's reason words. */
    private static Decision defaultDeny(ClientCertificateStatus certificate) {
        boolean missing = certificate.presented().isEmpty();
        return new Decision(false, Outcome.CLIENT_CERTIFICATE_REQUIRED,
                List.of(missing ? "client-certificate-required" : "invalid-client-certificate"),
                "client certificate required: downstream_mtls.enforcement denies requests "
                        + (missing ? "without a client certificate" : "whose client certificate is not valid"));
    }
}
