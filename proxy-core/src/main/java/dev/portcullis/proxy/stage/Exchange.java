package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.policy.Decision;
import dev.portcullis.proxy.tls.ConnectionFacts;
import dev.portcullis.proxy.forwardauth.CheckMode;
import dev.portcullis.proxy.forwardauth.CheckedRequest;
import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.ProxyCredentials;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.report.FinishedRequest;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.tracing.RequestTrace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One request, as the stages decide it and the reports describe it: what was received and believed,
 * what the stages learned (host and target once read, the route, the session, the policy's
 * decision) and how it ended. Confined to the request's event loop; the only way to its connection
 * is the {@link Body} port, for the few stages that read a small body.
 */
public final class Exchange {
    /** What the access log records for a request the policy let through (the gate answers a bare "allow"). */
    static final Decision ALLOWED = new Decision(true, dev.portcullis.policy.Outcome.ALLOW, List.of(), "");

    /** The request body, for stages that need it whole: a form posted to one of the proxy's endpoints. */
    @FunctionalInterface
    public interface Body {
        /** The body as text when it is at most {@code limit} bytes; empty when longer (then it is not read further). */
        CompletionStage<Optional<String>> readSmall(int limit);
    }

    private final String requestId;
    private final long startNanos;
    private final ProxySnapshot snapshot;
    private final Received received;
    private final ConnectionFacts connection;
    private final ForwardedFacts forwarded;
    private final ProxyCredentials credentials;
    private final RequestTrace trace;
    private final Body body;
    private final Executor loop;

    private RequestHost host;
    private RequestTarget target;
    private CheckMode forwardAuth;
    private String checkedMethod;
    private RouteEntry route;
    private Session session;
    private List<String> responseCookies = List.of();
    private Decision policyDecision;
    private Map<String, String> identityHeaders = Map.of();
    private HeaderSubstitutions substitutions = HeaderSubstitutions.NONE;
    private boolean bodyRead;
    private String outcome;
    private int status;
    private long bytesIn;
    private long bytesOut;
    private String upstream;

    public Exchange(String requestId, long startNanos, ProxySnapshot snapshot, Received received,
            ConnectionFacts connection, ForwardedFacts forwarded, ProxyCredentials credentials, RequestTrace trace,
            Body body, Executor loop) {
        this.requestId = requireNonNull(requestId, "requestId");
        this.startNanos = startNanos;
        this.snapshot = requireNonNull(snapshot, "snapshot");
        this.received = requireNonNull(received, "received");
        this.connection = requireNonNull(connection, "connection");
        this.forwarded = requireNonNull(forwarded, "forwarded");
        this.credentials = requireNonNull(credentials, "credentials");
        this.trace = requireNonNull(trace, "trace");
        this.body = requireNonNull(body, "body");
        this.loop = requireNonNull(loop, "loop");
    }

    /**
     * {@code stage}, completing on the request's event loop: at once when it already has, else
     * when it does, from the loop. What continues from it may touch the exchange.
     */
    public <T> CompletionStage<T> resumed(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            return future;
        }
        CompletableFuture<T> resumed = new CompletableFuture<>();
        future.whenComplete((value, failure) -> loop.execute(() -> {
            if (failure != null) {
                resumed.completeExceptionally(failure);
            } else {
                resumed.complete(value);
            }
        }));
        return resumed;
    }

    public String requestId() { return requestId; }
    public long startNanos() { return startNanos; }
    /** The configuration the request is handled with, from its first stage to its last byte. */
    public ProxySnapshot snapshot() { return snapshot; }
    public Received received() { return received; }
    public ConnectionFacts connection() { return connection; }
    public ForwardedFacts forwarded() { return forwarded; }
    public ProxyCredentials credentials() { return credentials; }
    public RequestTrace trace() { return trace; }
    public String accept() { return received.accept(); }

    /** The host the request is for; null until the reject stage read it. */
    public RequestHost host() { return host; }
    /** The canonical request target; null until the reject stage read it. */
    public RequestTarget target() { return target; }

    void read(RequestHost host, RequestTarget target) {
        this.host = requireNonNull(host, "host");
        this.target = requireNonNull(target, "target");
    }

    /**
     * From now on the exchange is a forward-auth check of {@code checked}: host, target and
     * {@link #method} are the checked request's.
     */
    void checking(CheckedRequest checked) {
        this.forwardAuth = checked.mode();
        this.checkedMethod = checked.method();
        this.host = checked.host();
        this.target = checked.target();
    }

    /** For a forward-auth check, which endpoint was asked. */
    public Optional<CheckMode> forwardAuth() { return Optional.ofNullable(forwardAuth); }
    /** The method routing and policy see: the request's own, or for a forward-auth check the checked one. */
    public String method() { return checkedMethod != null ? checkedMethod : received.method(); }

    public Optional<RouteEntry> route() { return Optional.ofNullable(route); }
    void route(RouteEntry route) { this.route = route; }

    /** The signed-in user's session, when the request carried one. */
    public Optional<Session> session() { return Optional.ofNullable(session); }
    void session(Session session) { this.session = session; }

    /** {@code Set-Cookie} values every answer to this request carries (a renewed session). */
    public List<String> responseCookies() { return responseCookies; }
    void responseCookies(List<String> cookies) { this.responseCookies = List.copyOf(cookies); }

    public Optional<Decision> policyDecision() { return Optional.ofNullable(policyDecision); }
    void policyDecision(Decision decision) { this.policyDecision = decision; }

    /** The identity headers the upstream receives (assertion, claim headers). */
    public Map<String, String> identityHeaders() { return identityHeaders; }
    void identityHeaders(Map<String, String> headers) { this.identityHeaders = Map.copyOf(headers); }

    /** What {@code ${pomerium.…}} stands for in the route's {@code set_request_headers}. */
    public HeaderSubstitutions substitutions() { return substitutions; }
    void substitutions(HeaderSubstitutions substitutions) { this.substitutions = requireNonNull(substitutions, "substitutions"); }

    /** The request body, read whole by a stage; {@link #bodyRead} afterwards. */
    CompletionStage<Optional<String>> readSmallBody(int limit) {
        return body.readSmall(limit).thenApply(text -> {
            bodyRead = true;
            return text;
        });
    }

    /** Whether a stage read the whole body, so none is left to pass on or drain. */
    public boolean bodyRead() { return bodyRead; }

    /** How it ended when not simply answered: a failure tag, {@code client_closed}, {@code sign_in} … */
    public Optional<String> outcome() { return Optional.ofNullable(outcome); }
    public void outcome(String outcome) { this.outcome = outcome; }
    public int status() { return status; }
    public void status(int status) { this.status = status; }
    public void addBytesIn(long n) { bytesIn += n; }
    public void addBytesOut(long n) { bytesOut += n; }
    public void upstream(String upstream) { this.upstream = upstream; }

    /** The immutable report of this request, {@code nowNanos} being when its answer ended. */
    public FinishedRequest finished(long nowNanos) {
        return new FinishedRequest(requestId, received.method(), received.protocol(),
                host != null ? host.authority() : "", target != null ? target.path() : "", status,
                Duration.ofNanos(nowNanos - startNanos),
                route().map(entry -> new FinishedRequest.RouteName(entry.route().name(), entry.route().match().host())),
                Optional.ofNullable(upstream), bytesIn, bytesOut, forwarded.clientAddress(),
                session().map(Session::userId), session().map(Session::email), outcome(), decision(),
                policyDecision().filter(decision -> !decision.allowed())
                        .map(decision -> new FinishedRequest.Refusal(decision.reasons(), decision.explanation())));
    }

    /**
     * The access decision: {@code allow}, {@code sign_in} (a stranger sent to sign in, or an API
     * client's 401) or {@code deny}; empty when no route's policy was asked (no route, the proxy's
     * own endpoints, a malformed request, a client gone before the decision).
     */
    private Optional<String> decision() {
        if (policyDecision != null) {
            return Optional.of(switch (policyDecision.outcome()) {
                case ALLOW -> "allow";
                case SIGN_IN -> "sign_in";
                case FORBIDDEN, CLIENT_CERTIFICATE_REQUIRED -> "deny";
            });
        }
        // a gate that failed denies without a policy decision
        return outcome().filter("forbidden"::equals).map(tag -> "deny");
    }
}
