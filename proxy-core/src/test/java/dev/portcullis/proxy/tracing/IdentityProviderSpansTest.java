package dev.portcullis.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sign-in's identity provider calls are CLIENT spans, children of the request that made them. */
class IdentityProviderSpansTest {

    @Test
    void theCodeExchangeIsAChildOfTheCallbackRequest() throws Exception {
        List<Answer> hops;
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            try (SignInFixture fixture = SignInFixture.start("""
                    otel_traces_exporter: otlp
                    otel_exporter_otlp_endpoint: %s
                    """.formatted(receiver.endpoint()))) {
                fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 3600);
                hops = new SignInClient(fixture.port).follow(fixture.url("app", "/"));
            } // closing the proxy flushes the exporter
            assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);

            List<Span> spans = receiver.spans();
            Span redeem = spans.stream().filter(s -> s.getName().equals("idp redeem")).findFirst().orElseThrow();
            assertThat(redeem.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            Span callback = spans.stream().filter(s -> s.getSpanId().equals(redeem.getParentSpanId())).findFirst()
                    .orElseThrow(() -> new AssertionError("no parent of " + redeem + " in " + spans));
            assertThat(callback.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
            assertThat(callback.getTraceId()).isEqualTo(redeem.getTraceId());
            assertThat(spans.toString()).doesNotContain("alice@example.com");
        }
    }
}
