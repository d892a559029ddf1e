package dev.portcullis.proxy.pages;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A JSON value — a string, number, boolean, null, or a map or collection (or array) of those, nested at will — as
 * compact JSON text, maps in their iteration order, written with jackson-core's generator alone: serving a page needs
 * no {@code ObjectMapper}, so Jackson's databind stays unloaded. The text is what an {@code ObjectMapper} wrote for the
 * same values. Anything else (a date, an {@code Optional}, a bean) is refused with an {@link IllegalArgumentException}.
 */
final class CompactJson {
    private static final JsonFactory JSON = new JsonFactory();

    private CompactJson() {}

    static String text(Object value) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a writer in memory does not fail
        }
        return text.toString();
    }

    static byte[] bytes(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // as above
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Iterable<?> values) {
            generator.writeStartArray();
            for (Object each : values) {
                write(generator, each);
            }
            generator.writeEndArray();
        } else if (value instanceof Object[] values) {
            generator.writeStartArray();
            for (Object each : values) {
                write(generator, each);
            }
            generator.writeEndArray();
        } else if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            generator.writeObject(value); // without a codec, jackson-core writes exactly these itself
        } else {
            throw new IllegalArgumentException("value: not a JSON value (a " + value.getClass().getName() + ")");
        }
    }
}
