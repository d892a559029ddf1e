package dev.portcullis.proxy.stage;

import dev.portcullis.config.route.RouteAction;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RouteEntry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the route for the host and canonical path ({@code 404} when none); a route that only
 * answers forward-auth checks (no {@code to}, {@code redirect} or {@code response}) is not found
 * for a request the proxy would forward itself.
 */
final class RouteStage implements Stage {
    private static final CompletionStage<Step> NOT_FOUND =
            CompletableFuture.completedFuture(Step.answer(Reply.failure(ProxyFailure.NO_ROUTE)));

    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        Optional<RouteEntry> entry = exchange.snapshot().routes().resolve(exchange.host(), exchange.target().path());
        boolean checkOnly = entry.isPresent() && entry.get().route().action() instanceof RouteAction.ForwardAuthOnly;
        if (entry.isEmpty() || (checkOnly && exchange.forwardAuth().isEmpty())) {
            return NOT_FOUND;
        }
        exchange.route(entry.get());
        exchange.trace().route(entry.get().route().name());
        return Stages.NEXT;
    }
}
