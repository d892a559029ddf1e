package dev.portcullis.proxy.log;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.portcullis.proxy.report.FinishedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import net.logstash.logback.marker.LogstashMarker;

/**
 * The fields of one access line, written straight from the {@link FinishedRequest} into the line's JSON object by
 * whichever encoder writes it (the JSON lines' {@code LogstashEncoder} or the readable {@link ConsoleEncoder}). It
 * replaces a map of the fields handed to Jackson's generic writer: no map, no boxed numbers, no lookup of a
 * serializer per value, and nothing done on the request's event loop but keeping a reference.
 *
 * <p>The fields and their order are the access log's documented ones (docs/logging.md): {@code event},
 * {@code request_id}, {@code method}, {@code host}, {@code path}, {@code status}, {@code duration_ms},
 * {@code route}, {@code upstream}, {@code bytes_in}, {@code bytes_out}, {@code client}, {@code protocol}, then, when
 * known, {@code user_id}, {@code email}, {@code outcome}, {@code decision}, {@code reasons} and
 * {@code explanation}.
 */
final class AccessLine extends LogstashMarker {
    private static final String NAME = "ACCESS_LINE";

    private final FinishedRequest request;

    AccessLine(FinishedRequest request) {
        super(NAME);
        this.request = requireNonNull(request, "request");
    }

    @Override
    public void writeTo(JsonGenerator line) throws IOException {
        writeFields(new Fields() {
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
    protected String toStringSelf() {
        StringBuilder text = new StringBuilder(256).append('{');
        try {
            writeFields(new Fields() {
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

    /** Hands every field, in order, to {@code fields}. */
    private void writeFields(Fields fields) throws IOException {
        fields.text("event", "http_request");
        fields.text("request_id", request.requestId());
        fields.text("method", request.method());
        fields.text("host", request.host());
        fields.text("path", request.path());
        fields.number("status", request.status());
        fields.decimal("duration_ms", request.duration().toNanos() / 1_000_000.0);
        fields.text("route", request.route().map(FinishedRequest.RouteName::name).orElse(""));
        fields.text("upstream", request.upstream().orElse(""));
        fields.number("bytes_in", request.bytesIn());
        fields.number("bytes_out", request.bytesOut());
        fields.text("client", request.client());
        fields.text("protocol", request.protocol());
        textIfPresent(fields, "user_id", request.userId());
        textIfPresent(fields, "email", request.email());
        textIfPresent(fields, "outcome", request.outcome());
        textIfPresent(fields, "decision", request.decision());
        if (request.refusal().isPresent()) {
            FinishedRequest.Refusal refusal = request.refusal().get();
            fields.texts("reasons", refusal.reasons());
            fields.text("explanation", refusal.explanation());
        }
    }

    private static void textIfPresent(Fields fields, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            fields.text(name, value.get());
        }
    }

    /** Where the fields go: the JSON object, or a text. */
    private interface Fields {
        void text(String name, String value) throws IOException;

        void number(String name, long value) throws IOException;

        void decimal(String name, double value) throws IOException;

        void texts(String name, List<String> values) throws IOException;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccessLine that && super.equals(that) && request.equals(that.request);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + request.hashCode();
    }
}
