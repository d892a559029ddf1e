package dev.portcullis.proxy.stage;

import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RouteEntry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the TCP route for a {@code CONNECT}: the route whose {@code from} is
 * {@code tcp+https://host:port} for exactly the host and port asked for. Any other {@code CONNECT}
 * — an arbitrary {@code host:port}, a TCP route's host with another port, an HTTP route's host — is
 * answered {@code 404}: the proxy is never an open proxy.
 */
final class ConnectRouteStage implements Stage {
    private static final Logger log = LoggerFactory.getLogger(ConnectRouteStage.class);
    private static final CompletionStage<Step> NOT_FOUND =
            CompletableFuture.completedFuture(Step.answer(Reply.failure(ProxyFailure.NO_ROUTE)));

    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        Optional<RouteEntry> entry = exchange.snapshot().routes().resolveConnect(exchange.host());
        if (entry.isEmpty()) {
            log.info("request {}: CONNECT to {} refused: no TCP route names that host and port", exchange.requestId(),
                    exchange.host().authority());
            return NOT_FOUND;
        }
        exchange.route(entry.get());
        exchange.trace().route(entry.get().route().name());
        return Stages.NEXT;
    }
}
