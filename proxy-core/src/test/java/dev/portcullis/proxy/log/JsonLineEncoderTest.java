package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portcullis.proxy.report.FinishedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.logstash.logback.argument.StructuredArguments;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * {@link JsonLineEncoder} writes, byte for byte, the lines logstash's {@code LogstashEncoder} writes with the field
 * names the proxy always used ({@code time}; no version, level value or thread), for every kind of line the proxy
 * logs.
 */
class JsonLineEncoderTest {
    private LoggerContext context;
    private LogstashEncoder logstash;
    private JsonLineEncoder ours;

    @BeforeEach
    void start() {
        context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        logstash = new LogstashEncoder();
        logstash.setContext(context);
        LogstashFieldNames names = new LogstashFieldNames();
        names.setTimestamp("time");
        names.setVersion("[ignore]");
        names.setLevelValue("[ignore]");
        names.setThread("[ignore]");
        logstash.setFieldNames(names);
        logstash.start();
        ours = new JsonLineEncoder();
        ours.setContext(context);
        ours.start();
    }

    @AfterEach
    void stop() {
        logstash.stop();
        ours.stop();
        context.stop();
    }

    @Test
    void accessLinesAreTheSame() {
        FinishedRequest refused = new FinishedRequest("req-1", "GET", "HTTP/1.1", "app.example.com", "/admin", 403,
                Duration.ofNanos(12_345_678), Optional.of(new FinishedRequest.RouteName("app", "app.example.com")),
                Optional.of("http://app:8080"), 17, 2048, "203.0.113.9", Optional.of("u-1"),
                Optional.of("bob@example.com"), Optional.of("denied"), Optional.of("deny"),
                Optional.of(new FinishedRequest.Refusal(List.of("email-unauthorized", "groups"), "email is \"x\"")));
        FinishedRequest unknown = new FinishedRequest("req-2", "POST", "HTTP/2", "nowhere.example.com", "/", 404,
                Duration.ofMillis(1), Optional.empty(), Optional.empty(), 0, 0, "198.51.100.1", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        for (FinishedRequest request : List.of(refused, unknown)) {
            assertSameLine(event("portcullis.access", Level.INFO, new AccessLine(request), "{} {} {}", null,
                    request.method(), request.path(), request.status()));
        }
    }

    @Test
    void auditEventsAreTheSame() {
        List<ILoggingEvent> events = logged(() -> {
            AuditLog.signIn("alice", "alice@example.com", "oidc", "app.example.com");
            AuditLog.signIn("alice", null, null, "app.example.com");
            AuditLog.accessDenied("r1", "app", "app.example.com", Optional.empty(), Optional.empty(),
                    List.of("user-unauthenticated", "groups"), "denied: no allow rule matched", 403);
            AuditLog.accessDenied("r2", "app", "app.example.com", Optional.of("bob"), Optional.of("bob@example.com"),
                    List.of(), "", 495);
            AuditLog.configLoaded(3, Optional.of(Path.of("/pomerium/config.yaml")));
            AuditLog.configRejected(List.of("routes[0].to: \"htp:/x\" is not an http(s) URL", "cookie_secret\nis required"),
                    Optional.empty());
            AuditLog.sessionRefreshFailed("alice", "provider said \"no\"", true);
            AuditLog.sessionRefreshFailed("alice", "timeout", false);
            AuditLog.passkeyCounterRegressed("alice@example.com", "cred-1", 7, 3, "203.0.113.9");
            AuditLog.sessionStoreFound("redis at redis:6379", Duration.ofMillis(1234));
            AuditLog.backchannelLogout(Optional.of("bob"), Optional.empty());
            AuditLog.signInFailed("", "203.0.113.9", "wrong_code");
        });
        assertThat(events).hasSize(12);
        events.forEach(this::assertSameLine);
    }

    @Test
    void exceptionsWithACauseAreTheSame() {
        Exception thrown = new IllegalStateException("upstream \"app\" failed",
                new java.io.IOException("connection reset\tby peer"));
        assertSameLine(event("dev.portcullis.proxy.server.ProxyServer", Level.WARN, null, "cannot start", thrown));
        assertSameLine(event("dev.portcullis.proxy.server.ProxyServer", Level.ERROR, null, "no message args", thrown));
    }

    @Test
    void messagesWithQuotesNewlinesControlsAndNonAsciiAreTheSame() {
        assertSameLine(event("dev.portcullis.proxy.cli.Main", Level.INFO, null,
                "a \"quoted\" line\nand another\r\n\ttabbed \u0001 \\ / é 日本 😀 {}", null, "argument"));
        assertSameLine(event("dev.portcullis.proxy.cli.Main", Level.DEBUG, null, "", null));
        assertSameLine(event("dev.portcullis.proxy.cli.Main", Level.INFO, null, null, null));
    }

    @Test
    void tagsNestedMarkersMdcKeyValuePairsContextPropertiesAndStructuredArgumentsAreTheSame() {
        Marker security = MarkerFactory.getDetachedMarker("SECURITY");
        AuditFields audit = AuditFields.event("sign_out").text("user_id", "alice");
        security.add(audit);
        security.add(MarkerFactory.getDetachedMarker("NESTED"));
        context.putProperty("deployment", "home");
        context.getMDCAdapter().put("request_id", "req-9");
        try {
            LoggingEvent event = event("portcullis.audit", Level.INFO, security, "signed out {}", null,
                    StructuredArguments.keyValue("who", "alice"), "plain");
            event.addKeyValuePair(new org.slf4j.event.KeyValuePair("count", 3));
            event.addKeyValuePair(new org.slf4j.event.KeyValuePair("name", "x\"y"));
            event.addKeyValuePair(new org.slf4j.event.KeyValuePair("ok", true));
            assertThat(line(ours, event)).contains("\"tags\":[\"SECURITY\",\"NESTED\"]").contains("\"request_id\":\"req-9\"")
                    .contains("\"deployment\":\"home\"").contains("\"count\":3").contains("\"who\":\"alice\"");
            assertSameLine(event);
        } finally {
            context.getMDCAdapter().clear();
        }
    }

    @Test
    void timesAreTheSameToTheNanosecondInAnyZone() {
        Random random = new Random(15);
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("2026-11-23T09:45:41Z"),
                Instant.parse("2026-11-23T09:45:41.100Z"), Instant.parse("2026-11-23T09:45:41.120Z"),
                Instant.parse("2026-11-23T09:45:41.000001Z"), Instant.parse("2026-03-29T00:59:59.999999999Z"),
                Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("1999-12-31T23:59:59.5Z")));
        for (int i = 0; i < 2000; i++) {
            instants.add(Instant.ofEpochSecond(1_700_000_000L + random.nextInt(200_000_000),
                    random.nextInt(4) == 0 ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000_000)));
        }
        for (String zone : List.of("UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe")) {
            ZoneId id = ZoneId.of(zone);
            LineTimestamp time = new LineTimestamp(id);
            for (Instant instant : instants) {
                assertThat(time.format(instant)).isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(id).format(instant));
            }
        }
        for (Instant instant : instants.subList(0, 7)) {
            LoggingEvent event = event("portcullis.access", Level.INFO, null, "at a time", null);
            event.setInstant(instant);
            assertSameLine(event);
        }
    }

    private void assertSameLine(ILoggingEvent event) {
        String expected = line(logstash, event);
        assertThat(line(ours, event)).isEqualTo(expected);
    }

    private static String line(ch.qos.logback.core.encoder.Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    private LoggingEvent event(String logger, Level level, Marker marker, String message, Throwable thrown,
            Object... arguments) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, thrown,
                arguments);
        if (marker != null) {
            event.addMarker(marker);
        }
        return event;
    }

    /** What {@code write} logs on the process's audit logger, as {@link AuditLog} writes it. */
    private static List<ILoggingEvent> logged(Runnable write) {
        Logger audit = (Logger) org.slf4j.LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        audit.addAppender(captured);
        Level before = audit.getLevel();
        audit.setLevel(Level.INFO);
        try {
            write.run();
        } finally {
            audit.detachAppender(captured);
            audit.setLevel(before);
        }
        return captured.list;
    }
}
