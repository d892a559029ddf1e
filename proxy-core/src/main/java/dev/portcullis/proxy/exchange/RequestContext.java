package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.ProxyCredentials;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteEntry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.forwardauth.CheckMode;
import dev.portcullis.proxy.tracing.RequestTrace;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed per-request record every stage reads and the access log reports: what was asked,
 * from where, which route took it, and how it ended. Confined to the request's event loop.
 */
public final class RequestContext {
    private final String requestId;
    private final long startNanos;
    private final HttpRequest request;
    private final RequestTarget target;
    private final RequestHost host;
    private final ForwardedFacts forwarded;
    private final ProxyCredentials credentials;
    private final boolean downstreamTls;
    private final boolean http2;
    private RouteEntry route;
    private int status;
    private long bytesIn;
    private long bytesOut;
    private String upstream;
    private String outcome;
    private Decision policyDecision;
    private Session session;
    private Map<String, String> identityHeaders = Map.of();
    private List<String> responseCookies = List.of();
    private CheckMode forwardAuth;
    private String checkedMethod;
    private RequestTrace trace = RequestTrace.NONE;
    private Map<String, String> responseHeaders = Map.of();

    RequestContext(String requestId, long startNanos, HttpRequest request, RequestTarget target, RequestHost host,
            ForwardedFacts forwarded, ProxyCredentials credentials, boolean downstreamTls, boolean http2) {
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.request = request;
        this.target = target;
        this.host = host;
        this.forwarded = forwarded;
        this.credentials = credentials;
        this.downstreamTls = downstreamTls;
        this.http2 = http2;
    }

    public String requestId() { return requestId; }
    public long startNanos() { return startNanos; }
    /** The request as received, without the headers the proxy owns (the trust boundary removed them). */
    public HttpRequest request() { return request; }
    public RequestTarget target() { return target; }
    public RequestHost host() { return host; }
    public ForwardedFacts forwarded() { return forwarded; }
    /** The proxy's own cookies and authorization the request carried. */
    public ProxyCredentials credentials() { return credentials; }
    public boolean downstreamTls() { return downstreamTls; }
    public boolean http2() { return http2; }
    public String accept() { return request.headers().get(HttpHeaderNames.ACCEPT); }
    public Optional<RouteEntry> route() { return Optional.ofNullable(route); }
    void route(RouteEntry route) { this.route = route; }

    public int status() { return status; }
    void status(int status) { this.status = status; }
    public long bytesIn() { return bytesIn; }
    void addBytesIn(long n) { bytesIn += n; }
    public long bytesOut() { return bytesOut; }
    void addBytesOut(long n) { bytesOut += n; }
    public Optional<String> upstream() { return Optional.ofNullable(upstream); }
    void upstream(String upstream) { this.upstream = upstream; }
    /** How it ended when not simply answered: a failure tag, {@code client_closed} … */
    public Optional<String> outcome() { return Optional.ofNullable(outcome); }
    void outcome(String outcome) { this.outcome = outcome; }
    /** The policy's decision when it refused the request. */
    public Optional<Decision> policyDecision() { return Optional.ofNullable(policyDecision); }
    void policyDecision(Decision decision) { this.policyDecision = decision; }
    /**
     * For a forward-auth check, which endpoint was asked; the context's host, target and
     * {@link #method} are then the checked request's.
     */
    public Optional<CheckMode> forwardAuth() { return Optional.ofNullable(forwardAuth); }
    void forwardAuth(CheckMode mode, String method) {
        this.forwardAuth = mode;
        this.checkedMethod = method;
    }
    /** The method routing and policy see: the request's own, or for a forward-auth check the checked one. */
    public String method() { return checkedMethod != null ? checkedMethod : request.method().name(); }
    /** The signed-in user's session, when the request carried one. */
    public Optional<Session> session() { return Optional.ofNullable(session); }
    void session(Session session) { this.session = session; }
    /** The identity headers the upstream receives (assertion, claim headers). */
    Map<String, String> identityHeaders() { return identityHeaders; }
    void identityHeaders(Map<String, String> headers) { this.identityHeaders = Map.copyOf(headers); }
    /** {@code Set-Cookie} values the answer carries (a renewed session). */
    List<String> responseCookies() { return responseCookies; }
    void responseCookies(List<String> cookies) { this.responseCookies = List.copyOf(cookies); }
    /** The request's spans; {@link RequestTrace#NONE} when tracing is off. */
    public RequestTrace trace() { return trace; }
    void trace(RequestTrace trace) { this.trace = trace; }

    /** The top-level {@code set_response_headers} every response to this request carries. */
    Map<String, String> responseHeaders() { return responseHeaders; }
    void responseHeaders(Map<String, String> headers) { this.responseHeaders = headers; }
}
