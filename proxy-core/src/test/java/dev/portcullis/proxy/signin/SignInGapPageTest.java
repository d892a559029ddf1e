package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 22: a configuration with which nobody can sign in loads (as Pomerium's does), and the page a
 * stranger sees on a route that needs sign-in says what is missing; the route's public neighbours still work.
 */
class SignInGapPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestUpstream upstream;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = new TestUpstream("app");
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static String routes() {
        return """
                routes:
                  - from: http://app.example.com
                    to: %1$s
                    allowed_users: [alice@example.com]
                  - from: http://public.example.com
                    to: %1$s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url());
    }

    @Test
    void aProviderWithoutClientIdLoadsAndThePageNamesWhatIsMissing() throws Exception {
        try (RunningProxy proxy = RunningProxy.start("""
                authenticate_service_url: http://authenticate.example.com
                idp_provider: oidc
                idp_provider_url: https://issuer.example.com
                """ + routes())) {
            HttpResponse<String> page = proxy.get("app.example.com", "/");
            assertThat(page.statusCode()).isEqualTo(403);
            assertThat(page.body()).contains("idp_client_id (IDP_CLIENT_ID)", "idp_client_secret", "nobody can sign in");

            HttpResponse<String> json = proxy.client().send(proxy.request("app.example.com", "/")
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(json.body());
            assertThat(body.get("error").asText()).isEqualTo("sign_in_unavailable");
            assertThat(body.get("detail").asText()).startsWith("idp_provider oidc is set, but idp_client_id");

            assertThat(proxy.get("public.example.com", "/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAnyProviderThePagePointsToTheBuiltinProvider() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(routes())) {
            HttpResponse<String> page = proxy.get("app.example.com", "/.pomerium/");
            assertThat(page.statusCode()).isEqualTo(403);
            assertThat(page.body()).contains("hosted sign-in service", "idp_provider: builtin");
            HttpResponse<String> route = proxy.get("app.example.com", "/x");
            assertThat(route.statusCode()).isEqualTo(403);
            assertThat(route.body()).contains("idp_provider: builtin").doesNotContain("alice@example.com");
        }
    }
}
