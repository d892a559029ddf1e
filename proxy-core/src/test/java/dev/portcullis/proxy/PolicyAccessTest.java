package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each route's policy decides before anything reaches its upstream (anonymous requests: sign-in is not there yet). */
class PolicyAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestUpstream upstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        proxy = RunningProxy.start("""
                routes:
                  - from: https://paths.example.com
                    to: %1$s
                    policy:
                      - allow:
                          or:
                            - http_path:
                                starts_with: /public/
                        deny:
                          or:
                            - http_method:
                                is: DELETE
                  - from: https://httpbin.int.nas.example
                    to: %1$s
                    policy:
                      - allow:
                          or:
                            - email:
                                is: your.email.address@gmail.com
                  - from: https://loopback.example.com
                    to: %1$s
                    policy:
                      allow:
                        and:
                          - source_ip: 127.0.0.0/8
                  - from: https://nobody.example.com
                    to: %1$s
                  - from: https://cors.example.com
                    to: %1$s
                    cors_allow_preflight: true
                    allowed_users: [alice@example.com]
                  - from: https://blog.example.com
                    to: %1$s
                    allow_public_unauthenticated_access: true
                    allowed_groups: [editors]
                    policy:
                      deny:
                        or:
                          - http_path:
                              starts_with: /wp-admin
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    private static HttpResponse<String> send(String host, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder builder = proxy.request(host, path).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return proxy.client().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whatThePolicyAllowsWithoutSignInIsServed() throws Exception {
        assertThat(send("paths.example.com", "GET", "/public/page").statusCode()).isEqualTo(200);
        assertThat(send("loopback.example.com", "GET", "/").statusCode()).isEqualTo(200);
    }

    @Test
    void pathRulesSeeTheNormalisedPath() throws Exception {
        int before = upstream.requests().size();
        assertThat(send("paths.example.com", "GET", "/public/../admin").statusCode()).isEqualTo(403);
        assertThat(send("paths.example.com", "GET", "/public/%2e%2e/admin").statusCode()).isEqualTo(403);
        assertThat(send("paths.example.com", "GET", "/public//..//admin").statusCode()).isEqualTo(403);
        assertThat(send("paths.example.com", "GET", "/public/%61/page").statusCode()).isEqualTo(200);
        assertThat(upstream.lastRequest().rawPath()).isEqualTo("/public/a/page");
        // An escaped slash is a separator to an upstream that decodes it and a character to one that does not: refused.
        assertThat(send("paths.example.com", "GET", "/public%2Fadmin").statusCode()).isEqualTo(400);
        assertThat(send("paths.example.com", "GET", "/public/a%2fb").statusCode()).isEqualTo(400);
        assertThat(send("paths.example.com", "GET", "/public/..%2fadmin").statusCode()).isEqualTo(400);
        assertThat(send("paths.example.com", "GET", "/public/a%2f..%2fb").statusCode()).isEqualTo(400);
        assertThat(upstream.requests()).hasSize(before + 1);
    }

    @Test
    void aMethodThatAnUpstreamWouldUpperCaseIsRefusedBeforeThePolicy() throws Exception {
        int before = upstream.requests().size();
        for (String method : List.of("delete", "Delete", "dELETE", "get", "propfind")) {
            RawHttp.Answer answer = RawHttp.send(proxy.port(), method + " /public/page HTTP/1.1\r\n"
                    + "Host: paths.example.com\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(method).isEqualTo(400);
            assertThat(answer.text().toLowerCase(Locale.ROOT)).as(method).contains("x-request-id");
        }
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void aPublicRouteWithADenyServesEveryoneButWhatTheDenyNames() throws Exception {
        // Pomerium loads public access next to allowed_groups or a policy; accept allows, deny still applies
        int before = upstream.requests().size();
        assertThat(send("blog.example.com", "GET", "/2024/hello").statusCode()).isEqualTo(200);
        assertThat(upstream.lastRequest().rawPath()).isEqualTo("/2024/hello");
        HttpResponse<String> admin = send("blog.example.com", "GET", "/wp-admin/");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(admin.body()).get("reasons").toString()).contains("http-path-ok");
        assertThat(upstream.requests()).hasSize(before + 1);
    }

    @Test
    void aDenyRuleWinsOverAnAllowRule() throws Exception {
        HttpResponse<String> response = send("paths.example.com", "DELETE", "/public/page");
        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("forbidden");
        assertThat(body.get("reasons").toString()).contains("http-method");
    }

    @Test
    void aPolicyThatNeedsAnIdentityAsksForSignInWhichIsNotAvailableYet() throws Exception {
        int before = upstream.requests().size();
        HttpResponse<String> response = send("httpbin.int.nas.example", "GET", "/headers");
        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("sign_in_unavailable");
        assertThat(body.get("reasons").toString()).contains("user-unauthenticated");
        assertThat(response.body()).as("the page must not reveal who is allowed").doesNotContain("your.email.address");
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void aRouteWithoutAnyRuleLetsNobodyIn() throws Exception {
        assertThat(send("nobody.example.com", "GET", "/").statusCode()).isEqualTo(403);
    }

    @Test
    void corsPreflightsPassWhereTheRouteAllowsThem() throws Exception {
        assertThat(send("cors.example.com", "OPTIONS", "/api", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "POST").statusCode()).isEqualTo(200);
        assertThat(send("cors.example.com", "OPTIONS", "/api").statusCode()).isEqualTo(403);
    }

    @Test
    void theHtmlPageListsTheReasonWords() throws Exception {
        HttpResponse<String> response = proxy.get("paths.example.com", "/private");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<li><code>").contains(response.headers().firstValue("x-request-id").orElseThrow());
    }
}
