package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.proxy.access.AccessDecision;
import dev.portcullis.proxy.access.AccessRequestFacts;
import dev.portcullis.proxy.access.ClientCertificateStatus;
import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.RequestMethod;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.pages.ErrorPage;
import dev.portcullis.proxy.pages.ProxyFailure;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteEntry;
import io.netty.buffer.ByteBufUtil;
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
import dev.portcullis.policy.Outcome;
import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.log.AuditLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.portcullis.proxy.forwardauth.CheckMode;
import dev.portcullis.proxy.forwardauth.CheckedRequest;
import dev.portcullis.proxy.forwardauth.ForwardAuthChecks;
import dev.portcullis.proxy.pages.ForbiddenPage;
import dev.portcullis.proxy.pages.UnauthenticatedAnswer;
import dev.portcullis.proxy.signin.BrowserRequests;
import dev.portcullis.proxy.signin.CurrentSession;
import dev.portcullis.proxy.signin.EndpointRequest;
import dev.portcullis.proxy.signin.LocalAnswer;
import dev.portcullis.proxy.signin.SignInServices;
import dev.portcullis.proxy.tracing.RequestTrace;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to a request, in the order of DESIGN.md: reject what cannot be parsed
 * safely (400, 414, 431), answer the reserved paths, check the connection's certificate covers
 * the host (421), answer the proxy's own sign-in endpoints, find the route (404), find the
 * request's session, ask the access gate (which may ask a stranger to sign in), then carry out the
 * route's action: forward (with the user's identity headers), redirect, or a fixed response.
 */
public final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    /** What the access log records for a request the gate let through (the gate answers a bare "allow"). */
    private static final Decision ALLOWED = new Decision(true, Outcome.ALLOW, List.of(), "");
    private final ExchangeServices services;

    public RequestDispatcher(ExchangeServices services) {
        this.services = services;
    }

    void begin(Downstream downstream, TrustedRequest trusted) {
        long start = System.nanoTime();
        HttpRequest request = trusted.head();
        ProxySnapshot snapshot = trusted.snapshot();
        ForwardedFacts forwarded = trusted.forwarded();
        ConnectionFacts connection = ConnectionFacts.of(downstream.ctx().channel());
        RequestHost host = RequestHost.parse(request.headers().get(HttpHeaderNames.HOST));
        RequestTarget target = null;
        ProxyFailure malformed = classify(request.decoderResult());
        if (malformed == null && host == null) {
            malformed = ProxyFailure.BAD_REQUEST;
        }
        String ambiguity = null;
        if (malformed == null) {
            try {
                RequestMethod.parse(request.method().name());
                target = RequestTarget.parse(request.uri());
            } catch (RequestMethod.InvalidRequestMethodException | RequestTarget.InvalidRequestTargetException e) {
                malformed = ProxyFailure.BAD_REQUEST;
                ambiguity = e.getMessage();
            }
        }
        RequestContext rc = new RequestContext(RequestIds.next(), start, request, target, host, forwarded,
                trusted.credentials(), connection.tls(), downstream.http2());
        if (ambiguity != null) {
            log.info("request {}: refused with 400: {}", rc.requestId(), ambiguity);
        }
        rc.trace(services.tracing().startRequest(request.headers(), request.method().name()));
        rc.responseHeaders(snapshot.responseHeaders().forConnection(connection.tls()));
        rc.trace().path(target != null ? target.path() : null);
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
        if (snapshot.forwardAuth().isHost(host)) {
            Optional<CheckedRequest> checked = snapshot.forwardAuth().read(target, request.method().name(), forwarded);
            if (checked.isEmpty()) {
                refuse(downstream, rc, ForwardAuthChecks.mode(target.path()).isEmpty()
                        ? ProxyFailure.NO_ROUTE : ProxyFailure.BAD_REQUEST);
                return;
            }
            RequestTrace trace = rc.trace();
            rc = new RequestContext(rc.requestId(), start, request, checked.get().target(), checked.get().host(), forwarded,
                    trusted.credentials(), connection.tls(), downstream.http2());
            rc.trace(trace);
            rc.responseHeaders(snapshot.responseHeaders().forConnection(connection.tls()));
            rc.forwardAuth(checked.get().mode(), checked.get().method());
            host = rc.host();
            target = rc.target();
        }
        route(downstream, rc, snapshot);
    }

    /**
     * From here on a proxied request and a forward-auth check go the same way: the proxy's own
     * endpoints, the route, the session, the policy. Only the last step differs (see {@link #act}).
     */
    private void route(Downstream downstream, RequestContext rc, ProxySnapshot snapshot) {
        HttpRequest request = rc.request();
        RequestHost host = rc.host();
        RequestTarget target = rc.target();
        SignInServices signIn = snapshot.signIn();
        if (signIn.isEndpoint(host, target.path())) {
            if (HttpMethod.POST.equals(request.method())) {
                FormBodyReader.read(downstream, rc, body -> {
                    if (body == null) {
                        rc.outcome(ProxyFailure.BAD_REQUEST.tag());
                        LocalReply.send(downstream, rc, ErrorPage.render(downstream.ctx().alloc(), ProxyFailure.BAD_REQUEST,
                                rc.requestId(), rc.accept()), true, services.recorder());
                    } else {
                        try (Scope traced = rc.trace().makeCurrent()) {
                            answerLater(downstream, rc, () -> signIn.endpoint(endpointRequest(rc, body)), true);
                        }
                    }
                });
            } else {
                try (Scope traced = rc.trace().makeCurrent()) {
                    answerLater(downstream, rc, () -> signIn.endpoint(endpointRequest(rc, "")), false);
                }
            }
            return;
        }
        Optional<RouteEntry> entry = snapshot.routes().resolve(host, target.path());
        if (entry.isEmpty() || (rc.forwardAuth().isEmpty() && entry.get().route().action() instanceof RouteAction.ForwardAuthOnly)) {
            refuse(downstream, rc, ProxyFailure.NO_ROUTE);
            return;
        }
        rc.route(entry.get());
        rc.trace().route(entry.get().route().name());
        CompletionStage<CurrentSession> session;
        // a renewal calls the identity provider: its span is a child of this request's
        try (Scope traced = rc.trace().makeCurrent()) {
            session = signIn.sessions().current(rc.credentials());
        } catch (RuntimeException e) {
            session = CompletableFuture.completedFuture(CurrentSession.NONE);
        }
        whenDone(downstream, rc, session.toCompletableFuture(),
                current -> decideAccess(downstream, rc, entry.get(), snapshot, current.getNow(CurrentSession.NONE)));
    }

    private static EndpointRequest endpointRequest(RequestContext rc, String body) {
        return new EndpointRequest(rc.requestId(), rc.method(), rc.target().path(), rc.target().query(),
                rc.host(), rc.request().headers(), rc.credentials(), body, rc.forwarded().clientAddress());
    }

    /**
     * Runs {@code next} on the event loop once {@code stage} is complete: at once when it already
     * is, otherwise later, holding what arrives of the request body meanwhile. When the client
     * went away in between, only the log line is written.
     */
    private <T> void whenDone(Downstream downstream, RequestContext rc, CompletableFuture<T> stage,
            Consumer<CompletableFuture<T>> next) {
        if (stage.isDone()) {
            next.accept(stage);
            return;
        }
        AwaitingDecision waiting = new AwaitingDecision(downstream);
        downstream.attach(waiting);
        stage.whenComplete((value, failure) -> downstream.ctx().channel().eventLoop().execute(() -> {
            if (waiting.clientGone()) {
                services.recorder().record(rc);
                return;
            }
            next.accept(stage);
            waiting.replayTo(downstream);
        }));
    }

    /**
     * Sends an endpoint's answer once it is ready. Endpoints answer clients' mistakes (400) and their
     * provider's failures (502) themselves; an endpoint that fails is the proxy's own fault: 500,
     * with the stack trace in the log only.
     */
    private void answerLater(Downstream downstream, RequestContext rc, Supplier<CompletionStage<LocalAnswer>> answer,
            boolean bodyRead) {
        CompletableFuture<LocalAnswer> stage;
        try {
            stage = answer.get().toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        whenDone(downstream, rc, stage, done -> {
            LocalAnswer local;
            try {
                local = done.join();
            } catch (RuntimeException e) {
                log.error("request {}: the endpoint {} failed", rc.requestId(), rc.target().path(), e);
                refuse(downstream, rc, ProxyFailure.INTERNAL_ERROR, List.of(), bodyRead);
                return;
            }
            rc.responseCookies(local.setCookies());
            FullHttpResponse response = local instanceof LocalAnswer.Redirect redirect
                    ? redirect(downstream, redirect.location())
                    : ((LocalAnswer.Page) local).render().apply(downstream.ctx().alloc());
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, response.headers().get(HttpHeaderNames.CACHE_CONTROL, "no-store"));
            LocalReply.send(downstream, rc, response, false, bodyRead, services.recorder());
        });
    }

    private void decideAccess(Downstream downstream, RequestContext rc, RouteEntry entry, ProxySnapshot snapshot,
            CurrentSession current) {
        current.session().ifPresent(rc::session);
        rc.responseCookies(current.setCookies());
        AccessRequestFacts facts = new AccessRequestFacts(rc.method(), rc.target().path(),
                rc.forwarded().clientAddress(), rc.request().headers(), current.session(),
                ClientCertificateStatus.of(snapshot.options().server().downstreamMtls(),
                        ConnectionFacts.of(downstream.ctx().channel()).clientCertificate()));
        CompletableFuture<AccessDecision> decision;
        rc.trace().policyStarted();
        try {
            decision = services.gate().decide(entry.route(), facts).toCompletableFuture();
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        whenDone(downstream, rc, decision, done -> {
            AccessDecision decided = decisionOrDeny(done);
            rc.trace().policyEnded(decided instanceof AccessDecision.SignIn ? "sign_in"
                    : decided instanceof AccessDecision.Deny ? "deny" : "allow");
            act(downstream, rc, entry, snapshot, decided);
        });
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
        SignInServices signIn = snapshot.signIn();
        if (decision instanceof AccessDecision.SignIn needed) {
            rc.policyDecision(needed.policy());
            askToSignIn(downstream, rc, signIn, needed.policy());
            return;
        }
        if (decision instanceof AccessDecision.Deny deny) {
            deny.policy().ifPresent(rc::policyDecision);
            List<String> reasons = deny.policy().map(Decision::reasons).orElse(List.of());
            AuditLog.accessDenied(rc.requestId(), entry.route().name(), rc.host().authority(),
                    rc.session().map(Session::userId), rc.session().map(Session::email), reasons,
                    deny.policy().map(Decision::explanation).orElse(""), deny.failure().status().code());
            if (deny.failure() == ProxyFailure.FORBIDDEN && rc.session().isPresent()) {
                rc.outcome(ProxyFailure.FORBIDDEN.tag());
                String again = signIn.signInAgainUrl(rc.host(), rc.target().pathAndQuery()).orElse("/.pomerium/sign_out");
                LocalReply.send(downstream, rc, ForbiddenPage.render(downstream.ctx().alloc(), rc.requestId(), rc.accept(),
                        rc.session().get(), entry.route().name(), reasons, again), false, services.recorder());
                return;
            }
            refuse(downstream, rc, deny.failure(), reasons, false);
            return;
        }
        rc.policyDecision(ALLOWED);
        Route route = entry.route();
        if (rc.forwardAuth().isPresent()) {
            LocalReply.send(downstream, rc, ForwardAuthAnswer.allowed(downstream.ctx().alloc(), rc, route, signIn,
                    snapshot.options().forwardAuth().identityHeaders()), false, services.recorder());
            return;
        }
        RouteAction action = route.action();
        if (action instanceof RouteAction.Forward) {
            if (rc.session().isPresent() && route.passIdentityHeaders()) {
                rc.identityHeaders(signIn.identityHeaders().forUpstream(rc.session().get(), rc.host().authority()));
            }
            new UpstreamExchange(downstream, rc, entry, services, rc.responseHeaders(),
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

    /**
     * A stranger on a route that needs sign-in: a browser is redirected to sign in and comes back
     * here; an API client gets 401 with the sign-in URL. Without an identity provider configured,
     * the route can only refuse.
     */
    private void askToSignIn(Downstream downstream, RequestContext rc, SignInServices signIn, Decision policy) {
        Optional<String> signInUrl = signIn.signInUrlFor(rc.host(), rc.target().pathAndQuery());
        if (signInUrl.isEmpty()) {
            refuse(downstream, rc, ProxyFailure.SIGN_IN_UNAVAILABLE, policy.reasons(), false);
            return;
        }
        rc.outcome("sign_in");
        boolean redirect = rc.forwardAuth().map(mode -> mode == CheckMode.SIGN_IN && BrowserRequests.isBrowser(rc.accept()))
                .orElseGet(() -> BrowserRequests.isBrowser(rc.accept()));
        FullHttpResponse response = redirect
                ? redirect(downstream, signInUrl.get())
                : UnauthenticatedAnswer.render(downstream.ctx().alloc(), rc.requestId(), signInUrl.get());
        LocalReply.send(downstream, rc, response, false, services.recorder());
    }

    private static FullHttpResponse redirect(Downstream downstream, String location) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND,
                downstream.ctx().alloc().buffer(0));
        response.headers().set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    private void refuse(Downstream downstream, RequestContext rc, ProxyFailure failure) {
        refuse(downstream, rc, failure, List.of(), false);
    }

    /** Answers with the failure's page, listing the policy's reason words when it refused. */
    private void refuse(Downstream downstream, RequestContext rc, ProxyFailure failure, List<String> reasons,
            boolean bodyRead) {
        rc.outcome(failure.tag());
        FullHttpResponse page = ErrorPage.render(downstream.ctx().alloc(), failure, rc.requestId(), rc.accept(), reasons);
        LocalReply.send(downstream, rc, page, false, bodyRead, services.recorder());
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
