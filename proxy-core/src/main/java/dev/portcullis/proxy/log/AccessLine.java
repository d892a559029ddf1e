package dev.portcullis.proxy.log;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.report.FinishedRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * The fields of one access line, written straight from the {@link FinishedRequest} into the line's JSON object by
 * whichever encoder writes it ({@link JsonLineEncoder}, the readable {@link ConsoleEncoder}, or a configuration of
 * one's own with logstash's {@code LogstashEncoder}). No map, no boxed numbers, no lookup of a serializer per value,
 * and nothing done on the request's event loop but keeping a reference.
 *
 * <p>The fields and their order are the access log's documented ones (docs/logging.md): {@code event},
 * {@code request_id}, {@code method}, {@code host}, {@code path}, {@code status}, {@code duration_ms},
 * {@code route}, {@code upstream}, {@code bytes_in}, {@code bytes_out}, {@code client}, {@code protocol}, then, when
 * known, {@code user_id}, {@code email}, {@code outcome}, {@code decision}, {@code reasons} and
 * {@code explanation}.
 */
final class AccessLine extends LineFields {
    private static final String NAME = "ACCESS_LINE";

    private final FinishedRequest request;

    AccessLine(FinishedRequest request) {
        super(NAME);
        this.request = requireNonNull(request, "request");
    }

    @Override
    void visit(FieldVisitor fields) throws IOException {
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

    private static void textIfPresent(FieldVisitor fields, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            fields.text(name, value.get());
        }
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
