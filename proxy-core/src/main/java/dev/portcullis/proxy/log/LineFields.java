package dev.portcullis.proxy.log;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import net.logstash.logback.marker.LogstashMarker;

/**
 * The structured fields of one line (the access line, an audit event), listed once by {@link #visit} and written from
 * that list wherever the line goes: straight into the JSON object with the generator's typed methods (by
 * {@link JsonLineEncoder}, or by logstash's {@code LogstashEncoder} in a configuration of one's own, which is why this
 * is a {@link LogstashMarker}), as {@code key=value} by {@link ConsoleEncoder}, and as {@code {key=value, …}} for a
 * pattern's {@code %marker}. Nothing here needs Jackson's databind: no value goes through {@code writeObject}.
 */
abstract class LineFields extends LogstashMarker {
    LineFields(String name) {
        super(name);
    }

    /** Hands every field, in order, to {@code fields}. */
    abstract void visit(FieldVisitor fields) throws IOException;

    @Override
    public final void writeTo(JsonGenerator line) throws IOException {
        visit(new FieldVisitor() {
            @Override
            public void text(String name, String value) throws IOException {
                line.writeStringField(name, value);
            }

            @Override
            public void number(String name, long value) throws IOException {
                line.writeNumberField(name, value);
            }

            @Override
            public void decimal(String name, double value) throws IOException {
                line.writeNumberField(name, value);
            }

            @Override
            public void flag(String name, boolean value) throws IOException {
                line.writeBooleanField(name, value);
            }

            @Override
            public void texts(String name, List<String> values) throws IOException {
                line.writeArrayFieldStart(name);
                for (String value : values) {
                    line.writeString(value);
                }
                line.writeEndArray();
            }
        });
    }

    /** The fields as {@code {event=http_request, request_id=…}}, for a pattern's {@code %marker}. */
    @Override
    protected final String toStringSelf() {
        StringBuilder text = new StringBuilder(256).append('{');
        try {
            visit(new FieldVisitor() {
                @Override
                public void text(String name, String value) {
                    field(name).append(value);
                }

                @Override
                public void number(String name, long value) {
                    field(name).append(value);
                }

                @Override
                public void decimal(String name, double value) {
                    field(name).append(value);
                }

                @Override
                public void flag(String name, boolean value) {
                    field(name).append(value);
                }

                @Override
                public void texts(String name, List<String> values) {
                    field(name).append(values);
                }

                private StringBuilder field(String name) {
                    return text.append(text.length() > 1 ? ", " : "").append(name).append('=');
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return text.append('}').toString();
    }
}
