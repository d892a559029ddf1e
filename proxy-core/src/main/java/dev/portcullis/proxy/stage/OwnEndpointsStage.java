package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.access.AccessGate;
import dev.portcullis.proxy.access.ClientCertificateStatus;
import dev.portcullis.proxy.forwardauth.CheckedRequest;
import dev.portcullis.proxy.forwardauth.ForwardAuthChecks;
import dev.portcullis.proxy.portal.OpenableRoutes;
import dev.portcullis.proxy.portal.RoutesPortal;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.signin.EndpointRequest;
import dev.portcullis.proxy.signin.LocalAnswer;
import dev.portcullis.proxy.signin.SignInServices;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the proxy's own paths ({@link OwnPaths}) before routing: health checks; on the
 * {@code forward_auth_url} host, or with a check's headers on a host where nothing is forwarded,
 * turns the exchange into a check of the URL the front proxy asks about (which then goes on through
 * routing and policy, unless it is itself one of sign-in's paths, such as a hand-off); and the
 * sign-in endpoints, reading a posted form whole first. A form longer than {@link #FORM_LIMIT} is
 * refused with {@code 400} and the connection closed.
 */
final class OwnEndpointsStage implements Stage {
    static final int FORM_LIMIT = 64 * 1024;
    private static final Map<String, String> NONE = Map.of();

    private final AccessGate gate;

    /** @param gate decides, for the routes portal, which routes a person may open: the gate that guards them */
    OwnEndpointsStage(AccessGate gate) {
        this.gate = requireNonNull(gate, "gate");
    }

    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        OwnPaths own = exchange.snapshot().ownPaths();
        Optional<OwnPaths.Owner> owner = own.ownerOf(exchange.host(), exchange.target().path(),
                exchange.forwarded().checkShaped());
        if (owner.isEmpty()) {
            return Stages.NEXT;
        }
        return switch (owner.get()) {
            case HEALTH -> answer(new Reply.Text(200, "OK\n", NONE));
            case FORWARD_AUTH, ROUTE_HOST_CHECK -> check(exchange, own, owner.get());
            case AUTHENTICATE, KEY_SET, ROUTE_PAGES -> endpoint(exchange, owner.get());
        };
    }

    /** A forward-auth check: from here on, the exchange is the checked request's. */
    private CompletionStage<Step> check(Exchange exchange, OwnPaths own, OwnPaths.Owner owner) {
        ForwardAuthChecks checks = exchange.snapshot().forwardAuth();
        Optional<CheckedRequest> checked = owner == OwnPaths.Owner.FORWARD_AUTH
                ? checks.read(exchange.target(), exchange.method(), exchange.forwarded())
                : checks.readOnRouteHost(exchange.host(), exchange.target(), exchange.method(), exchange.forwarded());
        if (checked.isEmpty()) {
            boolean aCheck = checks.isCheck(exchange.target().path());
            return answer(Reply.failure(aCheck ? ProxyFailure.BAD_REQUEST : ProxyFailure.NO_ROUTE));
        }
        exchange.checking(checked.get());
        return own.signInOwnerOf(exchange.host(), exchange.target().path())
                .map(signInOwner -> endpoint(exchange, signInOwner)).orElse(Stages.NEXT);
    }

    private CompletionStage<Step> endpoint(Exchange exchange, OwnPaths.Owner owner) {
        if (!exchange.received().method().equals("POST")) {
            return answerOf(exchange, owner, "");
        }
        return exchange.resumed(exchange.readSmallBody(FORM_LIMIT)).thenCompose(body -> body.isEmpty()
                ? CompletableFuture.completedFuture(Step.answer(new Reply.Failure(ProxyFailure.BAD_REQUEST, List.of(), true)))
                : answerOf(exchange, owner, body.get()));
    }

    private CompletionStage<Step> answerOf(Exchange exchange, OwnPaths.Owner owner, String body) {
        SignInServices signIn = exchange.snapshot().signIn();
        EndpointRequest request = new EndpointRequest(exchange.requestId(), exchange.method(), exchange.target().path(),
                exchange.target().query(), exchange.host(), exchange.accept(), exchange.received().referer(), exchange.received().origin(),
                exchange.received().fetchSite(), exchange.credentials(), body,
                exchange.forwarded().clientAddress(), openableRoutes(exchange));
        CompletionStage<LocalAnswer> answer;
        // an endpoint may call the identity provider: its span is a child of this request's
        try (Scope traced = exchange.trace().makeCurrent()) {
            answer = switch (owner) {
                case KEY_SET -> signIn.keySet(request);
                case AUTHENTICATE -> signIn.authenticate(request);
                default -> signIn.routePages(request);
            };
        }
        return answer.thenApply(local -> Step.answer(new Reply.Endpoint(local)));
    }

    /** For the routes portal: the routes this request's person may open, by this request's address and certificate. */
    private OpenableRoutes openableRoutes(Exchange exchange) {
        return session -> new RoutesPortal(exchange.snapshot().options().routes(), gate).openableBy(session,
                exchange.host().port(), exchange.forwarded().clientAddress(),
                ClientCertificateStatus.of(exchange.snapshot().options().server().downstreamMtls(),
                        exchange.connection().clientCertificate()));
    }

    private static CompletionStage<Step> answer(Reply reply) {
        return CompletableFuture.completedFuture(Step.answer(reply));
    }
}
