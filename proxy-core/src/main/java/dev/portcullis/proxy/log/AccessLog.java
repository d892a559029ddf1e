package dev.portcullis.proxy.log;

import dev.portcullis.proxy.report.FinishedRequest;
import dev.portcullis.proxy.report.RequestReporter;
import java.util.LinkedHashMap;
import java.util.Map;
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
public final class AccessLog implements RequestReporter {
    private static final Logger log = LoggerFactory.getLogger("portcullis.access");

    /** Records the finished request. */
    @Override
    public void finished(FinishedRequest request) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "http_request");
        fields.put("request_id", request.requestId());
        fields.put("method", request.method());
        fields.put("host", request.host());
        fields.put("path", request.path());
        fields.put("status", request.status());
        fields.put("duration_ms", request.duration().toNanos() / 1_000_000.0);
        fields.put("route", request.route().map(FinishedRequest.RouteName::name).orElse(""));
        fields.put("upstream", request.upstream().orElse(""));
        fields.put("bytes_in", request.bytesIn());
        fields.put("bytes_out", request.bytesOut());
        fields.put("client", request.client());
        fields.put("protocol", request.protocol());
        request.userId().ifPresent(user -> fields.put("user_id", user));
        request.email().ifPresent(email -> fields.put("email", email));
        request.outcome().ifPresent(outcome -> fields.put("outcome", outcome));
        request.decision().ifPresent(decision -> fields.put("decision", decision));
        request.refusal().ifPresent(refusal -> {
            fields.put("reasons", refusal.reasons());
            fields.put("explanation", refusal.explanation());
        });
        log.info(Markers.appendEntries(fields), "{} {} {}", request.method(), request.path(), request.status());
    }
}
