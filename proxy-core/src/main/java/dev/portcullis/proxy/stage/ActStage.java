package dev.portcullis.proxy.stage;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.Route;
import dev.portcullis.policy.ClientCertificate;
import dev.portcullis.proxy.tls.ClientCertificateVerdict;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.proxy.forwardauth.AllowedCheckHeaders;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.signin.IdentityHeaders;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries out the route's action for an allowed request: for a forward-auth check, {@code 200} with
 * the identity headers the front proxy copies ({@link AllowedCheckHeaders}); for a TCP route (only ever reached by
 * a {@code CONNECT}), the tunnel to its upstream; else forward to the upstream (a WebSocket upgrade as a tunnel),
 * with the identity headers (of the signed-in user, or of no one as Pomerium sends them on a route that let a
 * stranger in) unless the route sets {@code pass_identity_headers: false}, and with what the substitutions of its
 * {@code set_request_headers} stand for; or the route's {@code redirect}, or its fixed {@code response}.
 */
final class ActStage implements Stage {
    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        RouteEntry entry = exchange.route().orElseThrow();
        Route route = entry.route();
        IdentityHeaders identity = exchange.snapshot().signIn().identityHeaders();
        if (exchange.forwardAuth().isPresent()) {
            return done(Step.answer(new Reply.Allowed(AllowedCheckHeaders.of(identity,
                    exchange.session().filter(session -> route.passIdentityHeaders()), exchange.host().name(),
                    route.jwtIssuerFormat(), exchange.snapshot().options().forwardAuth().identityHeaders()))));
        }
        RouteAction action = route.action();
        if (route.match().connect()) {
            return done(new Step.Connect(entry));
        }
        if (action instanceof RouteAction.Forward) {
            Optional<Session> session = exchange.session();
            String host = exchange.host().name();
            if (route.passIdentityHeaders()) {
                exchange.identityHeaders(identity.forUpstream(session, host, route.jwtIssuerFormat()));
            }
            if (!route.headers().setRequestHeaders().isEmpty()) {
                // only set_request_headers values are rendered with substitutions; most routes have none
                exchange.substitutions(new HeaderSubstitutions(session,
                        () -> identity.assertion(session, host, route.jwtIssuerFormat()), clientCertificate(exchange)));
            }
            return done(exchange.received().webSocketUpgrade().filter(upgrade -> route.allowWebsockets())
                    .<Step>map(upgrade -> new Step.Tunnel(entry, upgrade))
                    .orElseGet(() -> new Step.Forward(entry)));
        }
        if (action instanceof RouteAction.Redirect redirect) {
            return done(Step.answer(new Reply.Redirect(redirect.responseCode(),
                    RedirectLocation.build(exchange, redirect, route.match()), false)));
        }
        RouteAction.FixedResponse fixed = (RouteAction.FixedResponse) action;
        return done(Step.answer(new Reply.Text(fixed.status(), fixed.body(), route.headers().setResponseHeaders())));
    }

    /** The certificate the client presented, valid or not (Pomerium reads the presented leaf). */
    private static Optional<ClientCertificate> clientCertificate(Exchange exchange) {
        return exchange.connection().clientCertificate().flatMap(ClientCertificateVerdict::presented);
    }

    private static CompletionStage<Step> done(Step step) {
        return CompletableFuture.completedFuture(step);
    }
}
