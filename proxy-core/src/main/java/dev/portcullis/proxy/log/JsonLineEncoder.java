package dev.portcullis.proxy.log;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.marker.LogstashMarker;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line ({@code log_format: json}), byte for byte the line logstash's {@code LogstashEncoder}
 * writes with the field names of docs/logback.xml, but on jackson-core's streaming generator alone: no
 * {@code ObjectMapper}, so Jackson's databind is never loaded to write a line. The fields, in order:
 * <ol>
 * <li>{@code time}: the event's instant, ISO-8601 with the offset of the JVM's zone ({@code TZ}), see
 *     {@link LineTimestamp};
 * <li>{@code message} (left out when null), {@code logger_name}, {@code level};
 * <li>{@code stack_trace} when there is a throwable, as Logback's {@code %xEx} writes it;
 * <li>the logger context's properties, the MDC's entries and SLF4J's key-value pairs, each as a top-level field;
 * <li>{@code tags}: the names of markers that are not logstash markers;
 * <li>the fields of logstash markers ({@link LineFields}: the access line, audit events), nested markers included;
 * <li>the fields of logstash's structured arguments.
 * </ol>
 * What logstash writes with Jackson's databind, this encoder writes with the generator's typed methods: a key-value
 * pair's or property's value that is not a string, number or boolean is written as its {@code toString()} (our code
 * logs none).
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] LINE_END = System.lineSeparator().getBytes(StandardCharsets.UTF_8);

    private final JsonFactory json = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM).build();
    private final LineTimestamp time;
    private final ThrowableHandlingConverter stackTrace = new ExtendedThrowableProxyConverter();

    /** Times in the JVM's zone ({@code TZ} in a container), as logstash's encoder writes them. */
    public JsonLineEncoder() {
        this(TimeZone.getDefault().toZoneId());
    }

    JsonLineEncoder(ZoneId zone) {
        this.time = new LineTimestamp(zone);
    }

    @Override
    public void start() {
        stackTrace.setContext(getContext());
        stackTrace.start();
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        stackTrace.stop();
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
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = json.createGenerator(line, JsonEncoding.UTF8)) {
            generator.writeStartObject();
            generator.writeStringField("time", time.format(event.getInstant()));
            writeIfPresent(generator, "message", event.getFormattedMessage());
            writeIfPresent(generator, "logger_name", event.getLoggerName());
            writeIfPresent(generator, "level", event.getLevel().toString());
            if (event.getThrowableProxy() != null) {
                writeIfPresent(generator, "stack_trace", stackTrace.convert(event));
            }
            if (getContext() != null) {
                writeEntries(generator, getContext().getCopyOfPropertyMap());
            }
            writeEntries(generator, event.getMDCPropertyMap());
            writeKeyValuePairs(generator, event.getKeyValuePairs());
            writeTags(generator, event.getMarkerList());
            writeMarkerFields(generator, event.getMarkerList());
            writeStructuredArguments(generator, event.getArgumentArray());
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        line.writeBytes(LINE_END);
        return line.toByteArray();
    }

    private static void writeIfPresent(JsonGenerator generator, String name, String value) throws IOException {
        if (value != null) {
            generator.writeStringField(name, value);
        }
    }

    private static void writeEntries(JsonGenerator generator, Map<String, ?> entries) throws IOException {
        if (entries == null) {
            return;
        }
        for (Map.Entry<String, ?> entry : entries.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
                generator.writeFieldName(entry.getKey());
                writeSimpleValue(generator, entry.getValue());
            }
        }
    }

    private static void writeKeyValuePairs(JsonGenerator generator, List<KeyValuePair> pairs) throws IOException {
        if (pairs == null) {
            return;
        }
        for (KeyValuePair pair : pairs) {
            if (pair.key != null && pair.value != null) {
                generator.writeFieldName(pair.key);
                writeSimpleValue(generator, pair.value);
            }
        }
    }

    /** What jackson-core writes without a codec; anything else as its text. */
    private static void writeSimpleValue(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            generator.writeObject(value);
        } else {
            generator.writeString(value.toString());
        }
    }

    /** {@code tags}: the names of the markers, nested ones included, that are not logstash markers. */
    private static void writeTags(JsonGenerator generator, List<Marker> markers) throws IOException {
        if (markers == null) {
            return;
        }
        boolean started = false;
        for (Marker marker : markers) {
            started = writeTags(generator, started, marker);
        }
        if (started) {
            generator.writeEndArray();
        }
    }

    private static boolean writeTags(JsonGenerator generator, boolean started, Marker marker) throws IOException {
        if (marker == null) {
            return started;
        }
        if (!(marker instanceof LogstashMarker)) {
            if (!started) {
                generator.writeArrayFieldStart("tags");
                started = true;
            }
            generator.writeString(marker.getName());
        }
        if (marker.hasReferences()) {
            for (var nested = marker.iterator(); nested.hasNext(); ) {
                started = writeTags(generator, started, nested.next());
            }
        }
        return started;
    }

    private static void writeMarkerFields(JsonGenerator generator, List<Marker> markers) throws IOException {
        if (markers == null) {
            return;
        }
        for (Marker marker : markers) {
            writeMarkerFields(generator, marker);
        }
    }

    private static void writeMarkerFields(JsonGenerator generator, Marker marker) throws IOException {
        if (marker == null) {
            return;
        }
        if (marker instanceof LogstashMarker logstash) {
            logstash.writeTo(generator);
        }
        if (marker.hasReferences()) {
            for (var nested = marker.iterator(); nested.hasNext(); ) {
                writeMarkerFields(generator, nested.next());
            }
        }
    }

    private static void writeStructuredArguments(JsonGenerator generator, Object[] arguments) throws IOException {
        if (arguments == null) {
            return;
        }
        for (Object argument : arguments) {
            if (argument instanceof StructuredArgument structured) {
                structured.writeTo(generator);
            }
        }
    }
}
