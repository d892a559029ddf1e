package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.report.FinishedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access line as the production encoders write it: every documented field, in the documented order, with
 * numbers as numbers and the policy's reasons as an array; the optional fields only when known.
 */
class AccessLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final FinishedRequest REFUSED = new FinishedRequest("req-1", "GET", "HTTP/1.1",
            "app.example.com", "/admin", 403, Duration.ofNanos(12_345_678),
            Optional.of(new FinishedRequest.RouteName("app", "app.example.com")), Optional.of("http://app:8080"),
            17, 2048, "203.0.113.9", Optional.of("u-1"), Optional.of("bob@example.com"), Optional.of("denied"),
            Optional.of("deny"), Optional.of(new FinishedRequest.Refusal(List.of("email-unauthorized", "groups"),
                    "email is alice@example.com")));

    private static final FinishedRequest UNKNOWN_HOST = new FinishedRequest("req-2", "POST", "HTTP/2",
            "nowhere.example.com", "/", 404, Duration.ofMillis(1), Optional.empty(), Optional.empty(), 0, 0,
            "198.51.100.1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    @Test
    void everyFieldInTheDocumentedOrderWithItsType() throws Exception {
        JsonNode line = JSON.readTree(json(logged(REFUSED)));
        List<String> names = new ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        assertThat(names.subList(names.indexOf("event"), names.size())).containsExactly("event", "request_id",
                "method", "host", "path", "status", "duration_ms", "route", "upstream", "bytes_in", "bytes_out",
                "client", "protocol", "user_id", "email", "outcome", "decision", "reasons", "explanation");
        assertThat(line.path("message").asText()).isEqualTo("GET /admin 403");
        assertThat(line.path("logger_name").asText()).isEqualTo("portcullis.access");
        assertThat(line.path("event").asText()).isEqualTo("http_request");
        assertThat(line.path("request_id").asText()).isEqualTo("req-1");
        assertThat(line.path("host").asText()).isEqualTo("app.example.com");
        assertThat(line.path("status").isInt()).isTrue();
        assertThat(line.path("status").asInt()).isEqualTo(403);
        assertThat(line.path("duration_ms").isDouble()).isTrue();
        assertThat(line.path("duration_ms").asDouble()).isEqualTo(12.345678);
        assertThat(line.path("route").asText()).isEqualTo("app");
        assertThat(line.path("upstream").asText()).isEqualTo("http://app:8080");
        assertThat(line.path("bytes_in").asLong()).isEqualTo(17);
        assertThat(line.path("bytes_out").asLong()).isEqualTo(2048);
        assertThat(line.path("client").asText()).isEqualTo("203.0.113.9");
        assertThat(line.path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(line.path("user_id").asText()).isEqualTo("u-1");
        assertThat(line.path("email").asText()).isEqualTo("bob@example.com");
        assertThat(line.path("outcome").asText()).isEqualTo("denied");
        assertThat(line.path("decision").asText()).isEqualTo("deny");
        assertThat(line.path("reasons").isArray()).isTrue();
        assertThat(line.path("reasons").toString()).isEqualTo("[\"email-unauthorized\",\"groups\"]");
        assertThat(line.path("explanation").asText()).isEqualTo("email is alice@example.com");
    }

    @Test
    void whatIsNotKnownIsEitherEmptyOrLeftOut() throws Exception {
        JsonNode line = JSON.readTree(json(logged(UNKNOWN_HOST)));
        assertThat(line.path("route").asText()).isEmpty();
        assertThat(line.path("upstream").asText()).isEmpty();
        assertThat(line.path("protocol").asText()).isEqualTo("HTTP/2");
        assertThat(line.has("user_id")).isFalse();
        assertThat(line.has("email")).isFalse();
        assertThat(line.has("outcome")).isFalse();
        assertThat(line.has("decision")).isFalse();
        assertThat(line.has("reasons")).isFalse();
        assertThat(line.has("explanation")).isFalse();
    }

    @Test
    void theReadableFormatWritesTheSameFieldsAsKeyValuePairs() {
        String line = new String(new ConsoleEncoder(ZoneOffset.UTC).encode(logged(REFUSED)), StandardCharsets.UTF_8);
        assertThat(line).contains("portcullis.access  GET /admin 403 event=http_request request_id=req-1 method=GET "
                + "host=app.example.com path=/admin status=403 duration_ms=12.345678 route=app "
                + "upstream=http://app:8080 bytes_in=17 bytes_out=2048 client=203.0.113.9 protocol=HTTP/1.1 "
                + "user_id=u-1 email=bob@example.com outcome=denied decision=deny "
                + "reasons=[\"email-unauthorized\",\"groups\"] explanation=\"email is alice@example.com\"");
    }

    @Test
    void aPatternsMarkerShowsTheFieldsAsText() {
        assertThat(logged(REFUSED).getMarkerList().get(0).toString()).isEqualTo("{event=http_request, request_id=req-1, "
                + "method=GET, host=app.example.com, path=/admin, status=403, duration_ms=12.345678, route=app, "
                + "upstream=http://app:8080, bytes_in=17, bytes_out=2048, client=203.0.113.9, protocol=HTTP/1.1, "
                + "user_id=u-1, email=bob@example.com, outcome=denied, decision=deny, "
                + "reasons=[email-unauthorized, groups], explanation=email is alice@example.com}");
    }

    @Test
    void nothingIsLoggedWhenTheAccessLogIsOff() {
        assertThat(loggedAt(Level.WARN, REFUSED)).isEmpty();
    }

    private static ILoggingEvent logged(FinishedRequest request) {
        List<ILoggingEvent> lines = loggedAt(Level.INFO, request);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    /** What the access logger writes for {@code request} while its level is {@code level}. */
    private static List<ILoggingEvent> loggedAt(Level level, FinishedRequest request) {
        Logger access = (Logger) LoggerFactory.getLogger("portcullis.access");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        access.addAppender(captured);
        Level before = access.getLevel();
        access.setLevel(level);
        try {
            new AccessLog().finished(request);
        } finally {
            access.detachAppender(captured);
            access.setLevel(before);
        }
        return captured.list;
    }

    private static String json(ILoggingEvent event) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.start();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
