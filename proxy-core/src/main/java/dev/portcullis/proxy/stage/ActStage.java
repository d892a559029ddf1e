package dev.portcullis.proxy.stage;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.signin.IdentityHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries out the route's action for an allowed request: for a forward-auth check, {@code 200} with
 * the identity headers the front proxy copies; for a TCP route (only ever reached by a
 * {@code CONNECT}), the tunnel to its upstream; else forward to the upstream (a WebSocket upgrade as
 * a tunnel), with the signed-in user's identity headers unless the route sets
 * {@code pass_identity_headers: false}; or the route's {@code redirect}, or its fixed
 * {@code response}.
 */
final class ActStage implements Stage {
    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        RouteEntry entry = exchange.route().orElseThrow();
        Route route = entry.route();
        IdentityHeaders identity = exchange.snapshot().signIn().identityHeaders();
        if (exchange.forwardAuth().isPresent()) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.session().filter(session -> route.passIdentityHeaders()).ifPresent(session -> {
                headers.putAll(identity.forUpstream(session, exchange.host().name()));
                if (exchange.snapshot().options().forwardAuth().identityHeaders()) {
                    headers.putAll(identity.toolHeaders(session));
                }
            });
            return done(Step.answer(new Reply.Allowed(headers)));
        }
        RouteAction action = route.action();
        if (route.match().connect()) {
            return done(new Step.Connect(entry));
        }
        if (action instanceof RouteAction.Forward) {
            exchange.session().filter(session -> route.passIdentityHeaders()).ifPresent(session ->
                    exchange.identityHeaders(identity.forUpstream(session, exchange.host().name())));
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

    private static CompletionStage<Step> done(Step step) {
        return CompletableFuture.completedFuture(step);
    }
}
