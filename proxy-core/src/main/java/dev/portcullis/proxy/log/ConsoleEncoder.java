package dev.portcullis.proxy.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The fields our markers write into the JSON object, as printable values in order. */
    private static Map<String, String> fields(List<Marker> markers) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (markers == null || markers.isEmpty()) {
            return fields;
        }
        Deque<Marker> pending = new ArrayDeque<>(markers);
        while (!pending.isEmpty()) {
            Marker marker = pending.removeFirst();
            if (marker instanceof LineFields line) {
                printFields(line, fields);
            }
            Iterator<Marker> children = marker.iterator();
            Deque<Marker> nested = new ArrayDeque<>();
            children.forEachRemaining(nested::add);
            nested.descendingIterator().forEachRemaining(pending::addFirst);
        }
        return fields;
    }

    /** Each field as its JSON text, but a string plainly when it holds no space, quote, {@code =} or control. */
    private static void printFields(LineFields line, Map<String, String> into) {
        try {
            line.visit(new FieldVisitor() {
                @Override
                public void text(String name, String value) {
                    into.put(name, value == null ? "null" : printable(value));
                }

                @Override
                public void number(String name, long value) {
                    into.put(name, Long.toString(value));
                }

                @Override
                public void decimal(String name, double value) {
                    into.put(name, Double.toString(value));
                }

                @Override
                public void flag(String name, boolean value) {
                    into.put(name, Boolean.toString(value));
                }

                @Override
                public void texts(String name, List<String> values) {
                    StringBuilder array = new StringBuilder().append('[');
                    for (String value : values) {
                        quoted(array.append(array.length() > 1 ? "," : ""), value);
                    }
                    into.put(name, array.append(']').toString());
                }
            });
        } catch (IOException e) {
            // a field that cannot be listed is left out of a human's line
        }
    }

    private static String printable(String text) {
        return text.isEmpty() || text.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)
                ? quoted(new StringBuilder(text.length() + 2), text).toString() : text;
    }

    /** {@code text} as a JSON string, escaped as Jackson's generator escapes it. */
    private static StringBuilder quoted(StringBuilder into, String text) {
        into.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, into);
        return into.append('"');
    }
}
