package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.H2Client;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which host a request is for (RFC 9112 §3.2, RFC 9113 §8.3.1): one {@code Host}, and nothing else in
 * the request naming another; a request that names its host two ways is a 400 page, never routed.
 */
class HostFieldTest {
    private static TestUpstream upstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        proxy = RunningProxy.start("""
                routes:
                  - from: https://app.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://other.example.com
                    to: %1$s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    private static void assertRefused(String request) throws Exception {
        int before = upstream.requests().size();
        RawHttp.Answer answer = RawHttp.send(proxy.port(), request);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).containsIgnoringCase("x-request-id").contains("Bad request").doesNotContain("Exception");
        assertThat(answer.closed()).isTrue();
        assertThat(upstream.requests()).hasSize(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example.com\r\nHost: other.example.com", "app.example.com\r\nHost: app.example.com",
            "", " ", "user@app.example.com", "user:pw@app.example.com", "app.example.com:0", "app.example.com:x",
            "app.example.com/x", "app.example.com, other.example.com"})
    void anHttp11RequestWithoutExactlyOneUsableHostIs400(String host) throws Exception {
        assertRefused("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    @Test
    void anAbsoluteFormTargetNamingAnotherHostThanHostIs400() throws Exception {
        assertRefused("GET http://other.example.com/x HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
        assertRefused("GET http://app.example.com:8080/x HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
        assertRefused("GET http://user@app.example.com/x HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
        assertRefused("GET http:///x HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
    }

    @Test
    void anAbsoluteFormTargetNamingTheSameHostIsRoutedByIt() throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(),
                "GET http://APP.example.com./x?y HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(upstream.lastRequest().rawPath()).isEqualTo("/x?y");
    }

    @Test
    void http2HostNamingAnotherHostThanAuthorityIs400() throws Exception {
        int before = upstream.requests().size();
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            Http2Headers differing = new DefaultHttp2Headers().method("GET").scheme("http").path("/")
                    .authority("app.example.com").add("host", "other.example.com");
            H2Client.Response refused = client.sendHeaders(differing);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.headers().get("x-request-id")).isNotBlank();
            assertThat(upstream.requests()).hasSize(before);
        }
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            Http2Headers same = new DefaultHttp2Headers().method("GET").scheme("http").path("/same")
                    .authority("app.example.com").add("host", "app.example.com");
            assertThat(client.sendHeaders(same).status()).isEqualTo(200);
            assertThat(upstream.lastRequest().rawPath()).isEqualTo("/same");
        }
    }
}
