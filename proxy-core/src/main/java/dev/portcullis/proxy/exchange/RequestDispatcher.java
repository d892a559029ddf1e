package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.proxy.access.AccessDecision;
import dev.portcullis.proxy.access.AccessRequestFacts;
import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.pages.ErrorPage;
import dev.portcullis.proxy.pages.ProxyFailure;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteEntry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Optional;
import dev.portcullis.policy.Decision;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Decides what happens to a request, in the order of DESIGN.md: reject what cannot be parsed
 * safely (400, 414, 431), answer the reserved paths, check the connection's certificate covers
 * the host (421), find the route (404), ask the access gate, then carry out the route's action:
 * forward, redirect, or a fixed response.
 */
public final class RequestDispatcher {
    private final Supplier<ProxySnapshot> snapshots;
    private final ExchangeServices services;

    public RequestDispatcher(Supplier<ProxySnapshot> snapshots, ExchangeServices services) {
        this.snapshots = snapshots;
        this.services = services;
    }

    void begin(Downstream downstream, HttpRequest request) {
        long start = System.nanoTime();
        ProxySnapshot snapshot = snapshots.get();
        Channel channel = downstream.ctx().channel();
        ConnectionFacts connection = ConnectionFacts.of(channel);
        ForwardedFacts forwarded = snapshot.forwardedHeaders().sanitize(request.headers(), ConnectionFacts.peer(channel));
        RequestHost host = RequestHost.parse(request.headers().get(HttpHeaderNames.HOST));
        RequestTarget target = null;
        ProxyFailure malformed = classify(request.decoderResult());
        if (malformed == null && host == null) {
            malformed = ProxyFailure.BAD_REQUEST;
        }
        if (malformed == null) {
            try {
                target = RequestTarget.parse(request.uri());
            } catch (RequestTarget.InvalidRequestTargetException e) {
                malformed = ProxyFailure.BAD_REQUEST;
            }
        }
        RequestContext rc = new RequestContext(RequestIds.next(), start, request, target, host, forwarded,
                connection.tls(), downstream.http2());
        if (malformed != null) {
            rc.outcome(malformed.tag());
            LocalReply.send(downstream, rc, ErrorPage.render(downstream.ctx().alloc(), malformed, rc.requestId(), rc.accept()),
                    true, services.recorder());
            return;
        }
        if (isHealthCheck(target.path())) {
            LocalReply.send(downstream, rc, text(downstream, HttpResponseStatus.OK, "OK\n"), false, services.recorder());
            return;
        }
        if (connection.certificate().isPresent() && !connection.certificate().get().covers(host.name())) {
            refuse(downstream, rc, ProxyFailure.MISDIRECTED);
            return;
        }
        Optional<RouteEntry> entry = snapshot.routes().resolve(host, target.path());
        if (entry.isEmpty()) {
            refuse(downstream, rc, ProxyFailure.NO_ROUTE);
            return;
        }
        rc.route(entry.get());
        decideAccess(downstream, rc, entry.get(), snapshot);
    }

    private void decideAccess(Downstream downstream, RequestContext rc, RouteEntry entry, ProxySnapshot snapshot) {
        AccessRequestFacts facts = new AccessRequestFacts(rc.request().method().name(), rc.target().path(),
                rc.forwarded().clientAddress(), rc.request().headers());
        CompletableFuture<AccessDecision> decision;
        try {
            decision = services.gate().decide(entry.route(), facts).toCompletableFuture();
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        if (decision.isDone()) {
            act(downstream, rc, entry, snapshot, decisionOrDeny(decision));
            return;
        }
        AwaitingDecision waiting = new AwaitingDecision(downstream);
        downstream.attach(waiting);
        CompletableFuture<AccessDecision> pending = decision;
        decision.whenComplete((d, e) -> downstream.ctx().channel().eventLoop().execute(() -> {
            if (waiting.clientGone()) {
                services.recorder().record(rc);
                return;
            }
            act(downstream, rc, entry, snapshot, decisionOrDeny(pending));
            waiting.replayTo(downstream);
        }));
    }

    /** A gate that failed denies: the proxy fails closed. */
    private static AccessDecision decisionOrDeny(CompletableFuture<AccessDecision> decision) {
        try {
            AccessDecision d = decision.getNow(null);
            return d != null ? d : new AccessDecision.Deny(ProxyFailure.FORBIDDEN, Optional.empty());
        } catch (RuntimeException e) {
            return new AccessDecision.Deny(ProxyFailure.FORBIDDEN, Optional.empty());
        }
    }

    private void act(Downstream downstream, RequestContext rc, RouteEntry entry, ProxySnapshot snapshot,
            AccessDecision decision) {
        if (decision instanceof AccessDecision.Deny deny) {
            deny.policy().ifPresent(rc::policyDecision);
            refuse(downstream, rc, deny.failure(), deny.policy().map(Decision::reasons).orElse(List.of()));
            return;
        }
        Route route = entry.route();
        RouteAction action = route.action();
        if (action instanceof RouteAction.Forward) {
            new UpstreamExchange(downstream, rc, entry, services, snapshot.options().responseHeaders(),
                    hasBody(rc.request(), downstream.http2()), upgradeOf(rc.request(), route, downstream.http2()))
                    .start();
        } else if (action instanceof RouteAction.Redirect redirect) {
            FullHttpResponse response = text(downstream, HttpResponseStatus.valueOf(redirect.responseCode()), "");
            response.headers().set(HttpHeaderNames.LOCATION, RedirectLocation.build(rc, redirect, route.match()));
            LocalReply.send(downstream, rc, response, false, services.recorder());
        } else if (action instanceof RouteAction.FixedResponse fixed) {
            FullHttpResponse response = text(downstream, HttpResponseStatus.valueOf(fixed.status()), fixed.body());
            route.headers().setResponseHeaders().forEach(response.headers()::set);
            LocalReply.send(downstream, rc, response, false, services.recorder());
        }
    }

    private void refuse(Downstream downstream, RequestContext rc, ProxyFailure failure) {
        refuse(downstream, rc, failure, List.of());
    }

    /** Answers with the failure's page, listing the policy's reason words when it refused. */
    private void refuse(Downstream downstream, RequestContext rc, ProxyFailure failure, List<String> reasons) {
        rc.outcome(failure.tag());
        FullHttpResponse page = ErrorPage.render(downstream.ctx().alloc(), failure, rc.requestId(), rc.accept(), reasons);
        LocalReply.send(downstream, rc, page, false, services.recorder());
    }


    private static FullHttpResponse text(Downstream downstream, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(downstream.ctx().alloc(), body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    private static boolean isHealthCheck(String path) {
        return path.equals("/ping") || path.equals("/healthz");
    }

    private static ProxyFailure classify(DecoderResult result) {
        if (!result.isFailure()) {
            return null;
        }
        Throwable cause = result.cause();
        if (cause instanceof TooLongHttpHeaderException) {
            return ProxyFailure.HEADERS_TOO_LARGE;
        }
        if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
            return ProxyFailure.URI_TOO_LONG;
        }
        return ProxyFailure.BAD_REQUEST;
    }

    private static boolean hasBody(HttpRequest request, boolean http2) {
        if (request instanceof FullHttpRequest full) {
            return full.content().isReadable();
        }
        if (HttpUtil.isTransferEncodingChunked(request)) {
            return true;
        }
        long length = HttpUtil.getContentLength(request, -1L);
        return length > 0 || (http2 && length < 0);
    }

    private static String upgradeOf(HttpRequest request, Route route, boolean http2) {
        if (http2 || !route.allowWebsockets() || !HttpMethod.GET.equals(request.method())) {
            return null;
        }
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        boolean connectionUpgrade = request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        return connectionUpgrade && "websocket".equalsIgnoreCase(upgrade) ? upgrade : null;
    }
}
