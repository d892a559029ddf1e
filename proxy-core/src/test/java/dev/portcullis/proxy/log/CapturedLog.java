package dev.portcullis.proxy.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every line the proxy logs while open, at {@code debug} for its own classes and {@code info} for
 * the access log and the audit events (the test configuration keeps them at {@code warn}),
 * written by the production JSON encoder.
 */
public final class CapturedLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final LoggerContext context;
    private final Logger root;

    public CapturedLog() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        context = root.getLoggerContext();
        captured.start();
        root.addAppender(captured);
        context.getLogger("dev.portcullis").setLevel(Level.DEBUG);
        context.getLogger("portcullis.access").setLevel(Level.INFO);
        context.getLogger(AuditLog.LOGGER).setLevel(Level.INFO);
    }

    /** The proxy's own lines so far, each as the JSON line the production encoder writes. */
    public List<String> lines() {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        synchronized (captured) {
            return List.copyOf(captured.list).stream()
                    .filter(e -> e.getLoggerName().startsWith("dev.portcullis") || e.getLoggerName().startsWith("portcullis"))
                    .map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8))
                    .toList();
        }
    }

    /** Every line as one text, to search for what must not be there. */
    public String all() {
        return String.join("", lines());
    }

    /** The audit events named {@code event}, parsed. */
    public List<JsonNode> events(String event) {
        return lines().stream().map(CapturedLog::parse)
                .filter(line -> line.path("logger_name").asText().equals(AuditLog.LOGGER))
                .filter(line -> line.path("event").asText().equals(event))
                .toList();
    }

    /** The access log lines, parsed. */
    public List<JsonNode> accessLines() {
        return lines().stream().map(CapturedLog::parse)
                .filter(line -> line.path("logger_name").asText().equals("portcullis.access"))
                .toList();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        root.detachAppender(captured);
        context.getLogger("dev.portcullis").setLevel(null);
        context.getLogger("portcullis.access").setLevel(Level.WARN);
        context.getLogger(AuditLog.LOGGER).setLevel(null);
    }
}
