package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.policy.Decision;
import dev.portcullis.proxy.access.AccessDecision;
import dev.portcullis.proxy.access.AccessGate;
import dev.portcullis.proxy.access.AccessRequestFacts;
import dev.portcullis.proxy.access.ClientCertificateStatus;
import dev.portcullis.proxy.forwardauth.CheckMode;
import dev.portcullis.proxy.log.AuditLog;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.pages.RobotsTxt;
import dev.portcullis.proxy.signin.BrowserRequests;
import dev.portcullis.proxy.signin.SignInServices;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks the access gate whether the request may use its route, failing closed: a gate that fails
 * denies. Allowed: on to the action. A stranger where signing in could help: a browser is redirected
 * to sign in (a forward-auth {@code /verify} check and API clients get {@code 401} naming the
 * sign-in URL; {@code 403} when no identity provider is configured). Refused: {@code 403} — for a
 * signed-in user a page saying who they are and why — or {@code 495} for a missing client
 * certificate, each with an audit line. A refused or unauthenticated {@code /robots.txt} is answered
 * with one that disallows everything.
 */
final class AuthorizeStage implements Stage {
    private final AccessGate gate;

    AuthorizeStage(AccessGate gate) {
        this.gate = requireNonNull(gate, "gate");
    }

    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        RouteEntry entry = exchange.route().orElseThrow();
        AccessRequestFacts facts = new AccessRequestFacts(exchange.method(), exchange.target().path(),
                exchange.forwarded().clientAddress(), exchange.received().corsPreflight(), exchange.session(),
                entry.clientCertificates().map(rule -> rule.statusOf(exchange.connection()))
                        .orElseGet(() -> ClientCertificateStatus.of(exchange.snapshot().options().server().downstreamMtls(),
                                exchange.connection().clientCertificate())));
        exchange.trace().policyStarted();
        CompletionStage<AccessDecision> decision;
        try {
            decision = gate.decide(entry.route(), facts);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return exchange.resumed(decision).handle((decided, failure) -> {
            AccessDecision outcome = failure == null && decided != null ? decided : AccessDecision.DENY;
            exchange.trace().policyEnded(outcome instanceof AccessDecision.SignIn ? "sign_in"
                    : outcome instanceof AccessDecision.Deny ? "deny" : "allow");
            if (!(outcome instanceof AccessDecision.Allow) && isRobotsTxt(exchange)) {
                // the log keeps the policy's own decision; only the answer is the robots' one
                if (outcome instanceof AccessDecision.SignIn signIn) {
                    exchange.policyDecision(signIn.policy());
                } else {
                    ((AccessDecision.Deny) outcome).policy().ifPresent(exchange::policyDecision);
                }
                return Step.answer(new Reply.Text(200, RobotsTxt.DISALLOW_ALL, Map.of()));
            }
            if (outcome instanceof AccessDecision.SignIn signIn) {
                exchange.policyDecision(signIn.policy());
                return askToSignIn(exchange, signIn.policy());
            }
            if (outcome instanceof AccessDecision.Deny deny) {
                return refuse(exchange, entry, deny);
            }
            exchange.policyDecision(Exchange.ALLOWED);
            return Step.NEXT;
        });
    }

    /**
     * A request for {@code /robots.txt} that would be refused or sent to sign in is answered, as Pomerium's
     * denied answer does, with a {@code robots.txt} that disallows everything; never for a forward-auth check,
     * whose {@code 200} would tell the front proxy to let the request through.
     */
    private static boolean isRobotsTxt(Exchange exchange) {
        return exchange.forwardAuth().isEmpty() && exchange.target().path().equals(RobotsTxt.PATH);
    }

    /**
     * A stranger on a route that needs sign-in: a browser is redirected to sign in and comes back
     * here; an API client gets 401 with the sign-in URL. Without an identity provider configured,
     * the route can only refuse.
     */
    private static Step askToSignIn(Exchange exchange, Decision policy) {
        SignInServices signIn = exchange.snapshot().signIn();
        Optional<String> signInUrl = signIn.signInUrlFor(exchange.host(), exchange.target().pathAndQuery());
        if (signInUrl.isEmpty()) {
            return Step.answer(new Reply.Failure(ProxyFailure.SIGN_IN_UNAVAILABLE, policy.reasons(), false,
                    signIn.signInGap()));
        }
        exchange.outcome("sign_in");
        boolean browser = BrowserRequests.isBrowser(exchange.accept());
        boolean redirect = exchange.forwardAuth().map(mode -> mode == CheckMode.SIGN_IN && browser).orElse(browser);
        return Step.answer(redirect ? new Reply.Redirect(302, signInUrl.get(), true)
                : new Reply.Unauthenticated(signInUrl.get()));
    }

    private static Step refuse(Exchange exchange, RouteEntry entry, AccessDecision.Deny deny) {
        deny.policy().ifPresent(exchange::policyDecision);
        List<String> reasons = deny.policy().map(Decision::reasons).orElse(List.of());
        AuditLog.accessDenied(exchange.requestId(), entry.route().name(), exchange.host().authority(),
                exchange.session().map(Session::userId), exchange.session().map(Session::email), reasons,
                deny.policy().map(Decision::explanation).orElse(""), deny.failure().status());
        // show_error_details: the page says what Pomerium's evaluation traces would, the policy's explanation.
        Optional<String> details = deny.policy().map(Decision::explanation)
                .filter(explanation -> entry.route().showErrorDetails() && !explanation.isBlank());
        if (deny.failure() == ProxyFailure.FORBIDDEN && exchange.session().isPresent()) {
            String again = exchange.snapshot().signIn().signInAgainUrl(exchange.host(), exchange.target().pathAndQuery())
                    .orElse(OwnPaths.POMERIUM_PREFIX + "sign_out");
            exchange.outcome(ProxyFailure.FORBIDDEN.tag());
            return Step.answer(new Reply.Forbidden(exchange.session().get(), entry.route().name(), reasons, again, details));
        }
        return Step.answer(new Reply.Failure(deny.failure(), reasons, false, details));
    }
}
