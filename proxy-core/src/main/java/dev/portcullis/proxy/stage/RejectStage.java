package dev.portcullis.proxy.stage;

import dev.portcullis.proxy.http.RequestMethod;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RequestHost;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first decision: refuse what cannot be read one way only, before anything looks at it. Answers
 * {@code 400}, {@code 414} or {@code 431} for a head that did not decode (framing, size), {@code 400}
 * for a missing or malformed {@code Host}, a method or request target that could be read two ways
 * ({@link RequestMethod}, {@link RequestTarget}) — each closing the connection, since nothing after
 * such a request can be trusted — and {@code 421} when the connection's certificate does not cover
 * the host. Otherwise it records the host and the canonical target on the exchange.
 *
 * <p>A {@code CONNECT} (a TCP route's tunnel) has an authority-form target instead
 * ({@link RequestHost#ofConnect}): its host is that authority, {@code host:port}, and its target the
 * path {@code /} (a tunnel has no path; the policy's {@code http_path} sees {@code /}). Over HTTP/2 it
 * is refused with {@code 400}: {@code pomerium-cli} tunnels over HTTP/1.1.
 */
final class RejectStage implements Stage {
    static final String CONNECT = "CONNECT";
    private static final RequestTarget TUNNEL_TARGET = new RequestTarget("/", Optional.empty());
    private static final Logger log = LoggerFactory.getLogger(RejectStage.class);

    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        Received received = exchange.received();
        if (received.unreadable().isPresent()) {
            ProxyFailure failure = received.unreadable().get();
            log.info("request {}: refused with {}: the request did not decode ({})", exchange.requestId(),
                    failure.status(), failure);
            return refuse(failure, true);
        }
        if (received.method().equals(CONNECT) && received.http2()) {
            log.info("request {}: refused with 400: CONNECT over HTTP/2 is not supported", exchange.requestId());
            return refuse(ProxyFailure.BAD_REQUEST, false);
        }
        RequestHost host;
        RequestTarget target;
        try {
            if (received.method().equals(CONNECT)) {
                host = RequestHost.ofConnect(received.hostFields(), received.uri());
                target = TUNNEL_TARGET;
            } else {
                host = RequestHost.ofRequest(received.hostFields(), received.uri(), received.http2());
                RequestMethod.parse(received.method());
                target = RequestTarget.parse(received.uri());
            }
        } catch (RequestHost.UnusableHostException | RequestMethod.InvalidRequestMethodException
                | RequestTarget.InvalidRequestTargetException e) {
            log.info("request {}: refused with 400: {}", exchange.requestId(), e.getMessage());
            return refuse(ProxyFailure.BAD_REQUEST, true);
        }
        exchange.read(host, target);
        exchange.trace().path(target.path());
        boolean misdirected = exchange.connection().certificate().filter(c -> !c.covers(host.name())).isPresent();
        return misdirected ? refuse(ProxyFailure.MISDIRECTED, false) : Stages.NEXT;
    }

    private static CompletionStage<Step> refuse(ProxyFailure failure, boolean close) {
        return CompletableFuture.completedFuture(Step.answer(new Reply.Failure(failure, List.of(), close)));
    }
}
