package dev.portcullis.proxy.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.logstash.logback.marker.LogstashMarker;
import org.slf4j.Marker;

/**
 * The readable format ({@code log_format: console}): one line per event,
 * {@code 2026-11-23 09:45:30.410 INFO  portcullis.audit  signed in: … event=sign_in user_id=alice …}.
 * The structured fields that the JSON format writes as properties follow the message as
 * {@code key=value}, quoted when they hold a space; a stack trace, when there is one, follows on
 * its own lines.
 */
public final class ConsoleEncoder extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneId zone;

    /** Times in the JVM's zone ({@code TZ} in a container). */
    public ConsoleEncoder() {
        this(ZoneId.systemDefault());
    }

    ConsoleEncoder(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone))).append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append(shortLogger(event.getLoggerName())).append("  ").append(event.getFormattedMessage());
        fields(event.getMarkerList()).forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        line.append(System.lineSeparator());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code portcullis.access} and {@code portcullis.audit} in full; a class's logger by its simple name. */
    private static String shortLogger(String name) {
        if (name.startsWith("portcullis.")) {
            return name;
        }
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** The fields the logstash markers would write into the JSON object, as printable values in order. */
    private static Map<String, String> fields(List<Marker> markers) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        if (markers == null || markers.isEmpty()) {
            return fields;
        }
        Deque<Marker> pending = new ArrayDeque<>(markers);
        while (!pending.isEmpty()) {
            Marker marker = pending.removeFirst();
            if (marker instanceof LogstashMarker logstash) {
                writeFields(logstash, fields);
            }
            Iterator<Marker> children = marker.iterator();
            Deque<Marker> nested = new ArrayDeque<>();
            children.forEachRemaining(nested::add);
            nested.descendingIterator().forEachRemaining(pending::addFirst);
        }
        return fields;
    }

    private static void writeFields(LogstashMarker marker, Map<String, String> into) {
        StringWriter json = new StringWriter();
        try (JsonGenerator generator = JSON.getFactory().createGenerator(json)) {
            generator.writeStartObject();
            marker.writeTo(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            return; // a field that cannot be written is left out of a human's line
        }
        try {
            JSON.readTree(json.toString()).fields().forEachRemaining(f -> into.put(f.getKey(), printable(f.getValue())));
        } catch (IOException e) {
            // as above
        }
    }

    private static String printable(JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText();
            return text.isEmpty() || text.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)
                    ? value.toString() : text;
        }
        return value.toString();
    }
}
