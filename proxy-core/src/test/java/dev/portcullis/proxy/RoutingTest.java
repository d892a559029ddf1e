package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which route a request takes, as the upstream that answers shows. */
class RoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestUpstream a;
    private static TestUpstream b;
    private static TestUpstream c;
    private static TestUpstream d;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        a = new TestUpstream("a");
        b = new TestUpstream("b");
        c = new TestUpstream("c");
        d = new TestUpstream("d");
        proxy = RunningProxy.start("""
                policy:
                  - from: https://app.example.com
                    path: /exact
                    to: %s
                    allow_public_unauthenticated_access: true
                routes:
                  - from: https://*.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://app.example.com
                    prefix: /api/
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://app.example.com
                    regex: "/v[0-9]+/items"
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://app.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://ported.example.net:8443
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(a.url(), d.url(), b.url(), c.url(), a.url(), b.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        a.close();
        b.close();
        c.close();
        d.close();
    }

    private static String upstreamFor(String host, String path) throws Exception {
        HttpResponse<String> response = proxy.get(host, path);
        assertThat(response.statusCode()).as("%s%s", host, path).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        return echo.get("upstream").asText();
    }

    @Test
    void exactHostRoutesComeBeforeWildcardOnes() throws Exception {
        assertThat(upstreamFor("app.example.com", "/anything")).isEqualTo("a");
        assertThat(upstreamFor("other.example.com", "/anything")).isEqualTo("d");
    }

    @Test
    void policyEntriesComeBeforeRoutesAndPathMatchersApplyInOrder() throws Exception {
        assertThat(upstreamFor("app.example.com", "/exact")).isEqualTo("a");
        assertThat(upstreamFor("app.example.com", "/exact/more")).isEqualTo("a");
        assertThat(upstreamFor("app.example.com", "/api/users")).isEqualTo("b");
        assertThat(upstreamFor("app.example.com", "/v2/items")).isEqualTo("c");
        assertThat(upstreamFor("app.example.com", "/v2/items/1")).isEqualTo("a");
    }

    @Test
    void hostMatchingIgnoresThePortUnlessFromNamesOne() throws Exception {
        assertThat(upstreamFor("app.example.com:8443", "/api/x")).isEqualTo("b");
        assertThat(upstreamFor("APP.Example.COM.", "/api/x")).isEqualTo("b");
        assertThat(upstreamFor("ported.example.net:8443", "/")).isEqualTo("b");
        assertThat(proxy.get("ported.example.net", "/").statusCode()).isEqualTo(404);
    }

    @Test
    void pathsAreNormalisedBeforeMatching() throws Exception {
        assertThat(upstreamFor("app.example.com", "/public/../api/x")).isEqualTo("b");
        assertThat(upstreamFor("app.example.com", "/%61pi/x")).isEqualTo("b");
        assertThat(upstreamFor("app.example.com", "//api//x")).isEqualTo("b");
        assertThat(b.lastRequest().rawPath()).isEqualTo("/api/x");
    }

    @Test
    void unknownHostGetsA404PageWithARequestId() throws Exception {
        HttpResponse<String> response = proxy.get("nobody.example.org", "/");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(response.body()).contains("404").contains(id);
    }

    @Test
    void healthChecksAnswerOnEveryHost() throws Exception {
        for (String path : new String[] {"/ping", "/healthz"}) {
            HttpResponse<String> response = proxy.get("nobody.example.org", path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("OK\n");
            assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        }
        HttpResponse<Void> head = proxy.client().send(proxy.request("x", "/ping")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
    }
}
