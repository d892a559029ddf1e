package dev.portcullis.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route options Pomerium users rely on, as the upstream (or the person on the error page) observes them:
 * {@code kubernetes_service_account_token[_file]}, {@code host_rewrite_header} and {@code show_error_details}.
 */
class UpstreamRouteOptionsTest {
    @TempDir
    static Path dir;

    private static TestUpstream upstream;
    private static RunningProxy proxy;
    private static String deadUpstream;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("app");
        try (ServerSocket closed = new ServerSocket(0)) {
            deadUpstream = "http://127.0.0.1:" + closed.getLocalPort();
        }
        Path tokenFile = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.file-token.sig\n");
        proxy = RunningProxy.start("""
                routes:
                  - from: http://k8s.example.com
                    to: %1$s
                    kubernetes_service_account_token: eyJhbGciOiJSUzI1NiJ9.inline-token.sig
                    allow_public_unauthenticated_access: true
                  - from: http://k8s-file.example.com
                    to: %1$s
                    kubernetes_service_account_token_file: %2$s
                    allow_public_unauthenticated_access: true
                  - from: http://host-header.example.com
                    to: %1$s
                    host_rewrite_header: X-Upstream-Host
                    allow_public_unauthenticated_access: true
                  - from: http://host-both.example.com
                    to: %1$s
                    host_rewrite: fixed.internal
                    host_rewrite_header: X-Upstream-Host
                    preserve_host_header: true
                    allow_public_unauthenticated_access: true
                  - from: http://host-path.example.com
                    to: %1$s
                    host_path_regex_rewrite_pattern: "^/(.+)/.+$"
                    host_path_regex_rewrite_substitution: \\1
                    allow_public_unauthenticated_access: true
                  - from: http://details.example.com
                    to: %3$s
                    show_error_details: true
                    allow_public_unauthenticated_access: true
                  - from: http://no-details.example.com
                    to: %3$s
                    allow_public_unauthenticated_access: true
                  - from: http://read-only.example.com
                    to: %1$s
                    show_error_details: true
                    policy:
                      - allow:
                          and:
                            - http_method:
                                is: GET
                  - from: http://read-only-plain.example.com
                    to: %1$s
                    policy:
                      - allow:
                          and:
                            - http_method:
                                is: GET
                """.formatted(upstream.url(), tokenFile, deadUpstream));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    @Test
    void theServiceAccountTokenReplacesTheClientsAuthorizationAndImpersonationHeaders() throws Exception {
        proxy.client().send(proxy.request("k8s.example.com", "/api/v1/pods")
                .header("Authorization", "Bearer client-token")
                .header("Impersonate-User", "system:admin")
                .header("Impersonate-Group", "system:masters")
                .header("Impersonate-Extra-Scopes", "all")
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        TestUpstream.Recorded seen = upstream.lastRequest();
        assertThat(seen.header("Authorization")).isEqualTo("Bearer eyJhbGciOiJSUzI1NiJ9.inline-token.sig");
        // Anonymous on a public route: nobody to impersonate, and the client's choice is gone.
        assertThat(seen.header("Impersonate-User")).isNull();
        assertThat(seen.header("Impersonate-Group")).isNull();
        assertThat(seen.header("Impersonate-Extra-Scopes")).isNull();

        proxy.get("k8s-file.example.com", "/");
        assertThat(upstream.lastRequest().header("Authorization")).isEqualTo("Bearer eyJhbGciOiJSUzI1NiJ9.file-token.sig");
    }

    @Test
    void aSignedInUserIsImpersonatedByEmailAndGroups() throws Exception {
        try (SignInFixture fixture = SignInFixture.startWithRoutes("""
                  - from: http://k8s.test:PORT
                    to: UPSTREAM
                    kubernetes_service_account_token: sa-token
                    allow_any_authenticated_user: true
                """.replace("UPSTREAM", upstream.url()))) {
            SignInClient alice = new SignInClient(fixture.port);
            fixture.idp.nextUser("alice", "alice@example.com", List.of("family", "admins"), 600);
            List<Answer> hops = alice.follow(fixture.url("k8s", "/api"), "Impersonate-User", "system:admin");
            assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);

            TestUpstream.Recorded seen = upstream.lastRequest();
            assertThat(seen.header("Authorization")).isEqualTo("Bearer sa-token");
            assertThat(seen.header("Impersonate-User")).isEqualTo("alice@example.com");
            assertThat(seen.header("Impersonate-Group")).isEqualTo("family,admins");
        }
    }

    @Test
    void hostRewriteHeaderSendsThatHeadersValueAsHostOrTheClientsHostWithoutIt() throws Exception {
        proxy.client().send(proxy.request("host-header.example.com", "/")
                .header("X-Upstream-Host", "grafana.internal:3000").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upstream.lastRequest().header("Host")).isEqualTo("grafana.internal:3000");

        proxy.get("host-header.example.com", "/");
        assertThat(upstream.lastRequest().header("Host")).isEqualTo("host-header.example.com");
    }

    @Test
    void hostPathRegexRewriteMakesTheHostFromThePath() throws Exception {
        proxy.get("host-path.example.com", "/app.internal/x?y=1");
        assertThat(upstream.lastRequest().header("Host")).isEqualTo("app.internal");
        assertThat(upstream.lastRequest().rawPath()).isEqualTo("/app.internal/x?y=1");
    }

    @Test
    void hostRewriteWinsOverHostRewriteHeaderAndPreserveHostHeaderAsInPomerium() throws Exception {
        proxy.client().send(proxy.request("host-both.example.com", "/")
                .header("X-Upstream-Host", "grafana.internal").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upstream.lastRequest().header("Host")).isEqualTo("fixed.internal");
    }

    @Test
    void showErrorDetailsExplainsAPolicyRefusalAsPomeriumsTracesDo() throws Exception {
        HttpResponse<String> detailed = proxy.client().send(proxy.request("read-only.example.com", "/")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(detailed.statusCode()).isEqualTo(403);
        assertThat(detailed.body()).contains("\"detail\":\"").contains("http_method");

        HttpResponse<String> plain = proxy.client().send(proxy.request("read-only-plain.example.com", "/")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(403);
        assertThat(plain.body()).doesNotContain("\"detail\"");
    }

    @Test
    void showErrorDetailsSaysWhyTheUpstreamCouldNotBeReachedWithoutAStackTrace() throws Exception {
        HttpResponse<String> detailed = proxy.get("details.example.com", "/");
        assertThat(detailed.statusCode()).isEqualTo(502);
        assertThat(detailed.body()).contains("Why: ").contains("connecting to " + deadUpstream + " was refused")
                .contains(detailed.headers().firstValue("x-request-id").orElseThrow())
                .doesNotContain("Exception").doesNotContain("at io.netty").doesNotContain("at dev.");

        HttpResponse<String> json = proxy.client().send(proxy.request("details.example.com", "/")
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.body()).contains("\"detail\":\"connecting to " + deadUpstream + " was refused\"");

        HttpResponse<String> plain = proxy.get("no-details.example.com", "/");
        assertThat(plain.statusCode()).isEqualTo(502);
        assertThat(plain.body()).doesNotContain("Why: ").doesNotContain("refused").doesNotContain(deadUpstream);
    }
}
