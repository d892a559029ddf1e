package dev.portcullis.proxy.log;

import dev.portcullis.proxy.exchange.RequestContext;
import dev.portcullis.proxy.pages.ProxyFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per request to the {@code portcullis.access} logger, whatever the outcome:
 * request id, method, host, path, status, duration, route, upstream, bytes and client address; the
 * user id and email when signed in; the access decision ({@code allow}, {@code sign_in},
 * {@code deny}) with the policy's reasons when it did not allow.
 * Never the query string, cookies or other headers, which may hold secrets.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("portcullis.access");

    /** Records the finished request. */
    public void record(RequestContext rc) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "http_request");
        fields.put("request_id", rc.requestId());
        fields.put("method", rc.request().method().name());
        fields.put("host", rc.host() != null ? rc.host().authority() : "");
        fields.put("path", rc.target() != null ? rc.target().path() : "");
        fields.put("status", rc.status());
        fields.put("duration_ms", (System.nanoTime() - rc.startNanos()) / 1_000_000.0);
        fields.put("route", rc.route().map(r -> r.route().name()).orElse(""));
        fields.put("upstream", rc.upstream().orElse(""));
        fields.put("bytes_in", rc.bytesIn());
        fields.put("bytes_out", rc.bytesOut());
        fields.put("client", rc.forwarded() != null ? rc.forwarded().clientAddress() : "");
        fields.put("protocol", rc.http2() ? "HTTP/2" : rc.request().protocolVersion().text());
        rc.session().ifPresent(session -> {
            fields.put("user_id", session.userId());
            if (session.email() != null) {
                fields.put("email", session.email());
            }
        });
        rc.outcome().ifPresent(outcome -> fields.put("outcome", outcome));
        decision(rc).ifPresent(decision -> fields.put("decision", decision));
        rc.policyDecision().filter(decision -> !decision.allowed()).ifPresent(decision -> {
            fields.put("reasons", decision.reasons());
            fields.put("explanation", decision.explanation());
        });
        log.info(Markers.appendEntries(fields), "{} {} {}", rc.request().method().name(),
                fields.get("path"), rc.status());
    }

    /**
     * The access decision: {@code allow}, {@code sign_in} (a stranger sent to sign in, or an API
     * client's 401) or {@code deny}; empty when no route's policy was asked (no route, the
     * {@code /.pomerium/} endpoints, a malformed request).
     */
    static Optional<String> decision(RequestContext rc) {
        Optional<String> byPolicy = rc.policyDecision().map(decision -> switch (decision.outcome()) {
            case ALLOW -> "allow";
            case SIGN_IN -> "sign_in";
            case FORBIDDEN, CLIENT_CERTIFICATE_REQUIRED -> "deny";
        });
        if (byPolicy.isPresent()) {
            return byPolicy;
        }
        // a gate that failed denies without a policy decision
        return rc.outcome().filter(ProxyFailure.FORBIDDEN.tag()::equals).map(tag -> "deny");
    }
}
