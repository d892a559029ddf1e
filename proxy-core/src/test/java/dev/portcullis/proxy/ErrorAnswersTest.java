package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The answers the proxy gives itself when something is wrong: always a page with a request id, never a stack trace. */
class ErrorAnswersTest {
    private static TestUpstream upstream;
    private static RunningProxy proxy;
    private static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        proxy = RunningProxy.start("""
                routes:
                  - from: https://dead.example.com
                    to: http://127.0.0.1:%d
                    allow_public_unauthenticated_access: true
                  - from: https://slow.example.com
                    to: %s
                    timeout: 300ms
                    allow_public_unauthenticated_access: true
                  - from: https://idle.example.com
                    to: %2$s
                    timeout: 0s
                    idle_timeout: 300ms
                    allow_public_unauthenticated_access: true
                  - from: https://ok.example.com
                    to: %2$s
                    allow_public_unauthenticated_access: true
                """.formatted(deadPort, upstream.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    @Test
    void unreachableUpstreamIs502WithAPageNamingTheRequest() throws Exception {
        HttpResponse<String> response = proxy.get("dead.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(502);
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(response.body()).contains("<html").contains(id).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void errorPagesAreJsonForApiClients() throws Exception {
        HttpResponse<String> response = proxy.client().send(proxy.request("dead.example.com", "/")
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(502);
        assertThat(body.get("error").asText()).isEqualTo("upstream_connect_error");
        assertThat(body.get("request_id").asText()).isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
    }

    @Test
    void routeTimeoutIs504() throws Exception {
        HttpResponse<String> response = proxy.get("slow.example.com", "/slow/2000");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("Gateway timeout");
    }

    @Test
    void idleTimeoutIs504WhenTheUpstreamStaysSilent() throws Exception {
        assertThat(proxy.get("idle.example.com", "/slow/2000").statusCode()).isEqualTo(504);
        assertThat(proxy.get("idle.example.com", "/slow/10").statusCode()).isEqualTo(200);
    }

    @Test
    void bothContentLengthAndTransferEncodingIs400AndTheConnectionCloses() throws Exception {
        int before = upstream.requests().size();
        RawHttp.Answer answer = RawHttp.send(proxy.port(), """
                POST /upload HTTP/1.1\r
                Host: ok.example.com\r
                Content-Length: 4\r
                Transfer-Encoding: chunked\r
                \r
                0\r
                \r
                GET /smuggled HTTP/1.1\r
                Host: ok.example.com\r
                \r
                """);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.closed()).isTrue();
        assertThat(answer.text()).doesNotContain("HTTP/1.1 200");
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void conflictingContentLengthsAre400() throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), """
                POST /upload HTTP/1.1\r
                Host: ok.example.com\r
                Content-Length: 4\r
                Content-Length: 5\r
                \r
                abcde""");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void oversizedHeadersAre431() throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET / HTTP/1.1\r\nHost: ok.example.com\r\nCookie: "
                + "a".repeat(70_000) + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.text()).contains("x-request-id");
    }

    @Test
    void oversizedRequestLineIs414() throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: ok.example.com\r\n\r\n");
        assertThat(answer.status()).isEqualTo(414);
    }

    @Test
    void missingHostOrMalformedPathIs400() throws Exception {
        assertThat(RawHttp.send(proxy.port(), "GET / HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
        assertThat(RawHttp.send(proxy.port(), "GET /a%zz HTTP/1.1\r\nHost: ok.example.com\r\n\r\n").status()).isEqualTo(400);
        assertThat(RawHttp.send(proxy.port(), "GET /a%00b HTTP/1.1\r\nHost: ok.example.com\r\n\r\n").status()).isEqualTo(400);
        assertThat(RawHttp.send(proxy.port(), "GET nopath HTTP/1.1\r\nHost: ok.example.com\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void theConnectionStaysUsableAfterAnErrorPage() throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), """
                GET / HTTP/1.1\r
                Host: nowhere.example.com\r
                \r
                GET / HTTP/1.1\r
                Host: ok.example.com\r
                \r
                """);
        assertThat(answer.text()).startsWith("HTTP/1.1 404").contains("HTTP/1.1 200");
        assertThat(answer.closed()).isFalse();
    }
}
