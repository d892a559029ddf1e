package dev.portcullis.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces as a collector receives them over OTLP/HTTP, and the {@code traceparent} an upstream and a front proxy
 * see: the client's trace continued through the proxy's SERVER span, its policy and upstream children, to the app.
 */
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01";

    private OtlpReceiver receiver;
    private TestUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        receiver = new OtlpReceiver();
        upstream = new TestUpstream("app");
    }

    @AfterEach
    void stop() {
        upstream.close();
        receiver.close();
    }

    private String config(String tracing) {
        return tracing + """
                forward_auth_url: http://forwardauth.test
                xff_num_trusted_hops: 1
                routes:
                  - from: http://app.test
                    name: app
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url());
    }

    private String tracingOn() {
        return """
                otel_traces_exporter: otlp
                otel_exporter_otlp_endpoint: %s
                """.formatted(receiver.endpoint());
    }

    @Test
    void aRequestContinuesTheClientsTraceThroughPolicyAndUpstream() throws Exception {
        HttpResponse<String> answer;
        try (RunningProxy proxy = RunningProxy.start(config(tracingOn()))) {
            answer = proxy.client().send(proxy.request("app.test", "/items/7?email=alice@example.com")
                    .header("traceparent", TRACEPARENT).header("Cookie", "session=s3cret").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } // closing the proxy flushes the exporter
        assertThat(answer.statusCode()).isEqualTo(200);
        List<Span> spans = receiver.spans();
        assertThat(receiver.problems()).isEmpty();

        Span server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(hex(server.getTraceId())).isEqualTo(TRACE_ID);
        assertThat(hex(server.getParentSpanId())).isEqualTo(CLIENT_SPAN_ID);
        assertThat(server.getName()).isEqualTo("GET app");
        assertThat(attributes(server)).containsEntry("http.request.method", "GET")
                .containsEntry("url.path", "/items/7")
                .containsEntry("http.response.status_code", "200")
                .containsEntry("portcullis.route", "app");
        assertThat(server.toString()).doesNotContain("alice@example.com").doesNotContain("s3cret");

        Span policy = spans.stream().filter(s -> s.getName().equals("policy")).findFirst().orElseThrow();
        assertThat(policy.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(attributes(policy)).containsEntry("portcullis.policy.decision", "allow");
        Span call = only(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(call.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(call.getTraceId()).isEqualTo(server.getTraceId());

        String sent = upstream.lastRequest().header("traceparent");
        assertThat(sent).isEqualTo("00-" + TRACE_ID + "-" + hex(call.getSpanId()) + "-01");
    }

    @Test
    void aForwardAuthCheckEchoesItsOwnSpanAsTraceparent() throws Exception {
        HttpResponse<String> answer;
        try (RunningProxy proxy = RunningProxy.start(config(tracingOn()))) {
            answer = proxy.client().send(traefikCheck(proxy), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(answer.statusCode()).isEqualTo(200);
        Span server = only(receiver.spans(), Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(hex(server.getParentSpanId())).isEqualTo(CLIENT_SPAN_ID);
        assertThat(answer.headers().firstValue("traceparent"))
                .contains("00-" + TRACE_ID + "-" + hex(server.getSpanId()) + "-01");
    }

    @Test
    void offExportsNothingAndPassesTheClientsTraceparentUnchanged() throws Exception {
        HttpResponse<String> check;
        try (RunningProxy proxy = RunningProxy.start(config(""))) {
            HttpResponse<String> answer = proxy.client().send(proxy.request("app.test", "/")
                    .header("traceparent", TRACEPARENT).header("tracestate", "vendor=1").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            check = proxy.client().send(traefikCheck(proxy), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(upstream.lastRequest().header("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(upstream.lastRequest().header("tracestate")).isEqualTo("vendor=1");
        assertThat(check.headers().firstValue("traceparent")).contains(TRACEPARENT);
        assertThat(receiver.spans()).isEmpty();
        assertThat(receiver.problems()).isEmpty();
    }

    @Test
    void tracingOnWithoutAnIncomingTraceStartsANewOne() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(config(tracingOn()))) {
            assertThat(proxy.get("app.test", "/").statusCode()).isEqualTo(200);
        }
        Span server = only(receiver.spans(), Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(server.getParentSpanId().isEmpty()).isTrue();
        Span call = only(receiver.spans(), Span.SpanKind.SPAN_KIND_CLIENT);
        // a new trace id is random: the SDK may also set W3C level 2's "random" flag (03)
        assertThat(upstream.lastRequest().header("traceparent"))
                .startsWith("00-" + hex(server.getTraceId()) + "-" + hex(call.getSpanId()) + "-0");
    }

    private static java.net.http.HttpRequest traefikCheck(RunningProxy proxy) {
        return proxy.request("forwardauth.test", "/")
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Host", "app.test").header("X-Forwarded-Uri", "/")
                .header("X-Forwarded-For", "192.0.2.10")
                .header("traceparent", TRACEPARENT).GET().build();
    }

    private static Span only(List<Span> spans, Span.SpanKind kind) {
        List<Span> ofKind = spans.stream().filter(s -> s.getKind() == kind).toList();
        assertThat(ofKind).as("%s spans in %s", kind, spans).hasSize(1);
        return ofKind.get(0);
    }

    private static Map<String, String> attributes(Span span) {
        return span.getAttributesList().stream().collect(java.util.stream.Collectors.toMap(KeyValue::getKey,
                kv -> kv.getValue().hasIntValue() ? String.valueOf(kv.getValue().getIntValue())
                        : kv.getValue().getStringValue()));
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
