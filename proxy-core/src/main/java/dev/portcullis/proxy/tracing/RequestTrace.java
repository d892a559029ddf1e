package dev.portcullis.proxy.tracing;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The spans of one request: the SERVER span, and while they run the policy decision's and the upstream call's
 * (a CLIENT span, whose context is the {@code traceparent} the upstream receives). Confined to the request's event
 * loop, like the {@code Exchange} that holds it. Ending a span only queues it for the exporter's thread.
 * Attributes are the method, the path (never the query), the route name and the status: no cookie, no user.
 */
public final class RequestTrace {
    /** A request that is not traced: every method does nothing. */
    public static final RequestTrace NONE = new RequestTrace(null, null, "");

    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("server.address");
    private static final AttributeKey<String> DECISION = AttributeKey.stringKey("portcullis.policy.decision");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("portcullis.outcome");
    private static final TextMapSetter<HttpHeaders> HEADERS = (carrier, key, value) -> carrier.set(key, value);

    private final Tracer tracer;
    private final Span server;
    private final String method;
    private Span policy;
    private Span upstream;
    private boolean ended;

    RequestTrace(Tracer tracer, Span server, String method) {
        this.tracer = tracer;
        this.server = server;
        this.method = method;
    }

    /** Whether this request is traced (tracing on), whether or not it was sampled. */
    public boolean active() {
        return server != null;
    }

    /** The request's path, without its query. */
    public void path(String path) {
        if (server != null && path != null) {
            server.setAttribute(PATH, path);
        }
    }

    /** The route that took the request: the span becomes {@code METHOD route}. */
    public void route(String name) {
        if (server != null) {
            server.updateName(method + " " + name);
            server.setAttribute(Tracing.ROUTE, name);
        }
    }

    /**
     * Makes the request's span current on this thread until the scope is closed, so that what is called meanwhile
     * (the identity provider) starts its spans as children. Close it before leaving the event loop's task.
     */
    public Scope makeCurrent() {
        return server == null ? Scope.noop() : server.makeCurrent();
    }

    /** The policy decision starts. */
    public void policyStarted() {
        if (server != null && policy == null) {
            policy = tracer.spanBuilder("policy").setParent(Context.root().with(server)).startSpan();
        }
    }

    /** The policy decision ended with {@code decision} ({@code allow}, {@code deny}, {@code sign_in}). */
    public void policyEnded(String decision) {
        if (policy != null) {
            policy.setAttribute(DECISION, decision);
            policy.end();
            policy = null;
        }
    }

    /** The upstream call starts, to {@code upstream} (scheme, host and port). */
    public void upstreamStarted(String upstreamName) {
        if (server != null && upstream == null) {
            upstream = tracer.spanBuilder("upstream " + method).setParent(Context.root().with(server))
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(UPSTREAM, upstreamName)
                    .setAttribute("http.request.method", method)
                    .startSpan();
        }
    }

    /**
     * Puts the upstream span's {@code traceparent} (and {@code tracestate}) in {@code headers} in place of the
     * client's. Does nothing when not traced: the client's headers then pass unchanged.
     */
    public void injectUpstream(HttpHeaders headers) {
        inject(upstream != null ? upstream : server, headers);
    }

    /** Puts the request span's {@code traceparent} in a forward-auth answer, so the front proxy's trace goes on. */
    public void injectAnswer(HttpHeaders headers) {
        inject(server, headers);
    }

    private static void inject(Span span, HttpHeaders headers) {
        if (span == null) {
            return;
        }
        headers.remove("traceparent");
        headers.remove("tracestate");
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), headers, HEADERS);
    }

    /**
     * The answer is complete (or abandoned): ends every span still open. A 5xx status or an outcome such as
     * {@code upstream_timeout} marks the span as an error.
     */
    public void end(int status, String outcome) {
        if (server == null || ended) {
            return;
        }
        ended = true;
        policyEnded("abandoned");
        if (upstream != null) {
            describe(upstream, status, outcome);
            upstream.end();
        }
        describe(server, status, outcome);
        server.end();
    }

    private static void describe(Span span, int status, String outcome) {
        if (status > 0) {
            span.setAttribute(STATUS, (long) status);
        }
        if (outcome != null) {
            span.setAttribute(OUTCOME, outcome);
        }
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
    }
}
