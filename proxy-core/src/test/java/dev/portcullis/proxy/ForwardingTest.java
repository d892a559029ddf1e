package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.TestUpstream.Recorded;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the upstream receives and the client gets back, for each route option. */
class ForwardingTest {
    private static TestUpstream upstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        String to = upstream.url();
        proxy = RunningProxy.start("""
                routes:
                  - from: https://prefix.example.com
                    prefix: /old/
                    prefix_rewrite: /new/
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://regex.example.com
                    regex_rewrite_pattern: "^/service/([^/]+)(/.*)$"
                    regex_rewrite_substitution: "\\\\2/instance/\\\\1"
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://base.example.com
                    to: %1$s/app/
                    allow_public_unauthenticated_access: true
                  - from: https://noslash.example.com
                    to: %1$s/app
                    allow_public_unauthenticated_access: true
                  - from: https://slash.example.com
                    prefix: /app/
                    to: %1$s/
                    allow_public_unauthenticated_access: true
                  - from: https://both.example.com
                    prefix: /old/
                    prefix_rewrite: /new/
                    to: %1$s/app/
                    allow_public_unauthenticated_access: true
                  - from: https://host.example.com
                    host_rewrite: rewritten.internal
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://preserve.example.com
                    preserve_host_header: true
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://headers.example.com
                    set_request_headers:
                      X-Custom: from-proxy
                      X-Override: proxy-wins
                    remove_request_headers:
                      - X-Secret
                    set_response_headers:
                      X-Frame-Options: DENY
                      X-Route: headers
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://plain.example.com
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://redirect.example.com
                    redirect:
                      https_redirect: true
                      host_redirect: elsewhere.example.com
                      prefix_rewrite: /moved/
                      response_code: 302
                    allow_public_unauthenticated_access: true
                  - from: https://fixed.example.com
                    response:
                      status: 418
                      body: "short and stout"
                    allow_public_unauthenticated_access: true
                  - from: https://private.example.com
                    to: %1$s
                """.formatted(to));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    private static Recorded forward(String host, String path) throws Exception {
        HttpResponse<String> response = proxy.get(host, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return upstream.lastRequest();
    }

    @Test
    void prefixRewriteReplacesTheMatchedPrefix() throws Exception {
        assertThat(forward("prefix.example.com", "/old/page?x=1").rawPath()).isEqualTo("/new/page?x=1");
    }

    @Test
    void regexRewriteUsesTheSubstitutionWithBackReferences() throws Exception {
        assertThat(forward("regex.example.com", "/service/foo/bar").rawPath()).isEqualTo("/bar/instance/foo");
    }

    @Test
    void aPathInToIsPomeriumsPrefixRewrite() throws Exception {
        assertThat(forward("base.example.com", "/foo").rawPath()).isEqualTo("/app/foo");
        assertThat(forward("base.example.com", "/").rawPath()).isEqualTo("/app/");
        // as Pomerium (Envoy's prefix_rewrite): the matched "/" is replaced, nothing is inserted
        assertThat(forward("noslash.example.com", "/hello").rawPath()).isEqualTo("/apphello");
        // to's path "/" replaces a matched prefix too, as in Pomerium: /app/x reaches the upstream as /x
        assertThat(forward("slash.example.com", "/app/x").rawPath()).isEqualTo("/x");
        // an explicit prefix_rewrite replaces the path of to, it does not stack on it
        assertThat(forward("both.example.com", "/old/page").rawPath()).isEqualTo("/new/page");
    }

    @Test
    void hostIsTheUpstreamsUnlessRewrittenOrPreserved() throws Exception {
        assertThat(forward("plain.example.com", "/").header("host")).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(forward("host.example.com", "/").header("host")).isEqualTo("rewritten.internal");
        assertThat(forward("preserve.example.com:8443", "/").header("host")).isEqualTo("preserve.example.com:8443");
    }

    @Test
    void requestAndResponseHeaderEdits() throws Exception {
        HttpResponse<String> response = proxy.client().send(proxy.request("headers.example.com", "/")
                .header("X-Secret", "hunter2").header("X-Override", "client").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Recorded seen = upstream.lastRequest();
        assertThat(seen.header("x-secret")).isNull();
        assertThat(seen.header("x-custom")).isEqualTo("from-proxy");
        assertThat(seen.header("x-override")).isEqualTo("proxy-wins");
        assertThat(response.headers().firstValue("x-route")).hasValue("headers");
        assertThat(response.headers().allValues("x-frame-options")).containsExactly("DENY");
    }

    @Test
    void defaultSecurityHeadersAreSetOnForwardedResponses() throws Exception {
        HttpResponse<String> response = proxy.get("plain.example.com", "/");
        assertThat(response.headers().firstValue("x-frame-options")).hasValue("SAMEORIGIN");
        assertThat(response.headers().firstValue("x-xss-protection")).hasValue("1; mode=block");
    }

    @Test
    void hopByHopAndSpoofedIdentityHeadersDoNotReachTheUpstream() throws Exception {
        proxy.client().send(proxy.request("plain.example.com", "/")
                .header("Connection", "keep-alive, X-Drop-Me")
                .header("X-Drop-Me", "1")
                .header("X-Pomerium-Jwt-Assertion", "forged")
                .header("X-Pomerium-Claim-Email", "ceo@example.com")
                .header("Forwarded", "for=1.2.3.4")
                .header("X-Real-IP", "1.2.3.4")
                .GET().build(), HttpResponse.BodyHandlers.discarding());
        Recorded seen = upstream.lastRequest();
        assertThat(seen.header("x-drop-me")).isNull();
        // a stranger's request on a public route carries Pomerium's assertion of no one, never the forged one
        assertThat(seen.header("x-pomerium-jwt-assertion")).isNotBlank().isNotEqualTo("forged");
        assertThat(seen.header("x-pomerium-claim-email")).isNull();
        assertThat(seen.header("forwarded")).isNull();
        assertThat(seen.header("x-real-ip")).isNull();
        assertThat(seen.header("x-request-id")).matches("[0-9a-f]{16}");
    }

    @Test
    void forwardedHeadersFromAnUntrustedClientAreReplaced() throws Exception {
        proxy.client().send(proxy.request("plain.example.com", "/")
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Proto", "gopher")
                .header("X-Forwarded-Host", "evil.example")
                .GET().build(), HttpResponse.BodyHandlers.discarding());
        Recorded seen = upstream.lastRequest();
        assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("plain.example.com");
    }

    @Test
    void trustedHopsBelieveExactlyThatManyFrontProxies() throws Exception {
        try (RunningProxy trusting = RunningProxy.start("""
                xff_num_trusted_hops: 1
                routes:
                  - from: https://plain.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url()))) {
            trusting.client().send(trusting.request("plain.example.com", "/")
                    .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                    .header("X-Forwarded-Proto", "https")
                    .header("X-Forwarded-Host", "app.nas.example")
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            Recorded seen = upstream.lastRequest();
            assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
            assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
            assertThat(seen.header("x-forwarded-host")).isEqualTo("app.nas.example");

            trusting.client().send(trusting.request("plain.example.com", "/").GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(upstream.lastRequest().header("x-forwarded-for")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void redirectRoutesBuildTheLocationFromTheRequest() throws Exception {
        HttpResponse<String> response = proxy.get("redirect.example.com:8443", "/a/b?q=1");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("location")).hasValue("https://elsewhere.example.com/moved/a/b?q=1");
    }

    @Test
    void fixedResponseRoutesAnswerThemselves() throws Exception {
        HttpResponse<String> response = proxy.get("fixed.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("short and stout");
    }

    @Test
    void aRouteWithoutAccessRulesIsRefusedWithAJsonPageForApiClients() throws Exception {
        int before = upstream.requests().size();
        HttpResponse<String> response = proxy.client().send(proxy.request("private.example.com", "/")
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        var body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("forbidden");
        assertThat(body.get("request_id").asText()).isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void postBodiesArrivePassedThrough() throws Exception {
        HttpResponse<String> response = proxy.client().send(proxy.request("plain.example.com", "/upload")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("100000");
    }
}
