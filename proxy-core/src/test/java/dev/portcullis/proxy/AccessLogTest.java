package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import net.logstash.logback.marker.LogstashMarker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One access-log line per request, whatever the outcome, carrying the id the client saw. */
class AccessLogTest {
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("portcullis.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level previous;

    @BeforeEach
    void capture() {
        previous = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        lines.start();
        accessLogger.addAppender(lines);
    }

    @AfterEach
    void release() {
        accessLogger.detachAppender(lines);
        accessLogger.setLevel(previous);
    }

    private static String fields(ILoggingEvent event) {
        LogstashMarker marker = (LogstashMarker) event.getMarkerList().get(0);
        return marker.toString();
    }

    @Test
    void everyRequestIsLoggedOnceWithItsRequestIdAndOutcome() throws Exception {
        try (TestUpstream upstream = new TestUpstream("up");
                RunningProxy proxy = RunningProxy.start("""
                        routes:
                          - from: https://app.example.com
                            name: my-app
                            to: %s
                            allow_public_unauthenticated_access: true
                        """.formatted(upstream.url()))) {
            HttpResponse<String> ok = proxy.get("app.example.com", "/hello?token=secret-value");
            HttpResponse<String> missing = proxy.get("nowhere.example.com", "/x");
            String missingId = missing.headers().firstValue("x-request-id").orElseThrow();
            String forwardedId = upstream.lastRequest().header("x-request-id");

            long deadline = System.currentTimeMillis() + 2000;
            while (lines.list.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            List<String> logged = lines.list.stream().map(AccessLogTest::fields).toList();
            assertThat(logged).hasSize(2);
            assertThat(logged.get(0)).contains("request_id=" + forwardedId).contains("status=200")
                    .contains("route=my-app").contains("path=/hello").doesNotContain("secret-value");
            assertThat(logged.get(1)).contains("request_id=" + missingId).contains("status=404")
                    .contains("outcome=no_route");
            assertThat(ok.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theJsonLineHasTheDocumentedFields() throws Exception {
        try (RunningProxy proxy = RunningProxy.start("""
                routes:
                  - from: https://app.example.com
                    response: {status: 200, body: hi}
                    allow_public_unauthenticated_access: true
                """)) {
            proxy.get("app.example.com", "/");
            long deadline = System.currentTimeMillis() + 2000;
            while (lines.list.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            String json = new String(encoder().encode(lines.list.get(0)), java.nio.charset.StandardCharsets.UTF_8);
            Map<String, Object> line = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
            assertThat(line.keySet()).contains("request_id", "method", "host", "path", "status", "duration_ms",
                    "route", "upstream", "bytes_in", "bytes_out", "client");
        }
    }

    private static net.logstash.logback.encoder.LogstashEncoder encoder() {
        net.logstash.logback.encoder.LogstashEncoder encoder = new net.logstash.logback.encoder.LogstashEncoder();
        encoder.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.start();
        return encoder;
    }
}
