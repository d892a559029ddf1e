package dev.portcullis.proxy.exchange;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.stage.Exchange;
import dev.portcullis.proxy.stage.Received;
import dev.portcullis.proxy.stage.Reply;
import dev.portcullis.proxy.stage.Step;
import dev.portcullis.proxy.tls.ConnectionFacts;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts each request past the trust boundary as an {@link Exchange}, has the stages decide it, and
 * carries out their {@link Step}: the proxy's own answer ({@link LocalReply}), or the upstream
 * exchange, plain or as a tunnel, or a TCP route's tunnel ({@link ConnectTunnel}). While a decision is pending (an identity provider, a state store),
 * what arrives of the body is held; when the client leaves meanwhile, only the report is written.
 */
public final class StepCarrier {
    private static final Step MALFORMED_BODY =
            Step.answer(new Reply.Failure(ProxyFailure.BAD_REQUEST, java.util.List.of(), true));

    private final ExchangeServices services;

    public StepCarrier(ExchangeServices services) {
        this.services = requireNonNull(services, "services");
    }

    void begin(Downstream downstream, TrustedRequest trusted, ConnectionFacts connection) {
        long start = System.nanoTime();
        HttpRequest head = trusted.head();
        AwaitingDecision waiting = new AwaitingDecision(downstream);
        downstream.attach(waiting);
        SmallBody body = new SmallBody(downstream, waiting);
        Exchange exchange = new Exchange(RequestIds.next(), start, trusted.snapshot(), received(head, downstream.http2()),
                connection, trusted.forwarded(), trusted.credentials(),
                services.tracing().startRequest(head.headers(), head.method().name()), body, downstream.eventLoop());
        body.exchange = exchange;
        CompletableFuture<Step> decided = exchange.resumed(services.stages().decide(exchange)).toCompletableFuture();
        if (decided.isDone()) {
            carryOut(downstream, exchange, decided.join(), waiting);
        } else {
            decided.thenAccept(step -> carryOut(downstream, exchange, step, waiting));
        }
    }

    private void carryOut(Downstream downstream, Exchange exchange, Step decided, AwaitingDecision waiting) {
        if (downstream.isDone()) {
            exchange.status(499);
            exchange.outcome("client_closed");
            services.report(exchange);
            return;
        }
        // A body that failed to decode while the stages decided: whatever they chose, the request
        // cannot be passed on or answered as complete.
        Step step = downstream.requestFailed() ? MALFORMED_BODY : decided;
        if (step instanceof Step.Answer answer) {
            FullHttpResponse response = Replies.render(answer.reply(), exchange, downstream.head(), downstream.alloc());
            boolean close = answer.reply() instanceof Reply.Failure failure && failure.close();
            LocalReply.send(downstream, exchange, response, close, services);
        } else if (step instanceof Step.Forward forward) {
            new UpstreamExchange(downstream, exchange, forward.route(), services, downstream.hasBody(), null).start();
        } else if (step instanceof Step.Tunnel tunnel) {
            new UpstreamExchange(downstream, exchange, tunnel.route(), services, false, tunnel.upgrade()).start();
        } else if (step instanceof Step.Connect connect) {
            new ConnectTunnel(downstream, exchange, connect.route(), services).start();
        }
        waiting.replayTo(downstream);
    }

    /** A body a stage reads whole: what was held while deciding goes to the reader first. */
    private static final class SmallBody implements Exchange.Body {
        private final Downstream downstream;
        private final AwaitingDecision waiting;
        private Exchange exchange;

        SmallBody(Downstream downstream, AwaitingDecision waiting) {
            this.downstream = downstream;
            this.waiting = waiting;
        }

        @Override
        public java.util.concurrent.CompletionStage<Optional<String>> readSmall(int limit) {
            java.util.concurrent.CompletionStage<Optional<String>> text = FormBodyReader.read(downstream, exchange, limit);
            waiting.replayTo(downstream);
            return text;
        }
    }

    /** The head in plain values, for the stages. */
    private static Received received(HttpRequest head, boolean http2) {
        HttpHeaders headers = head.headers();
        String method = head.method().name();
        boolean corsPreflight = HttpMethod.OPTIONS.equals(head.method()) && headers.contains(HttpHeaderNames.ORIGIN)
                && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        return new Received(method, head.uri(), http2 ? "HTTP/2" : head.protocolVersion().text(),
                headers.getAll(HttpHeaderNames.HOST), unreadable(head.decoderResult()), headers.get(HttpHeaderNames.ACCEPT),
                Optional.ofNullable(headers.get(HttpHeaderNames.REFERER)), Optional.ofNullable(headers.get(HttpHeaderNames.ORIGIN)),
                Optional.ofNullable(headers.get("sec-fetch-site")), corsPreflight, webSocketUpgrade(head, http2));
    }

    private static Optional<ProxyFailure> unreadable(DecoderResult result) {
        if (!result.isFailure()) {
            return Optional.empty();
        }
        Throwable cause = result.cause();
        if (cause instanceof TooLongHttpHeaderException) {
            return Optional.of(ProxyFailure.HEADERS_TOO_LARGE);
        }
        if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
            return Optional.of(ProxyFailure.URI_TOO_LONG);
        }
        return Optional.of(ProxyFailure.BAD_REQUEST);
    }

    private static Optional<String> webSocketUpgrade(HttpRequest head, boolean http2) {
        if (http2 || !HttpMethod.GET.equals(head.method())) {
            return Optional.empty();
        }
        String upgrade = head.headers().get(HttpHeaderNames.UPGRADE);
        boolean connectionUpgrade = head.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        return connectionUpgrade && "websocket".equalsIgnoreCase(upgrade) ? Optional.of(upgrade) : Optional.empty();
    }
}
