package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 14: the routes portal lists exactly the routes the signed-in person's policy lets them open,
 * with Pomerium's fields; strangers see none; the sign-in host's {@code /} and {@code /robots.txt}, a refused
 * {@code /robots.txt} on a route host, and {@code /.pomerium/user} with the assertion's fields.
 */
class RoutesPortalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MORE_ROUTES = """
              - from: http://bob.test:PORT
                to: http://127.0.0.1:9
                allowed_users: [bob@example.com]
              - from: http://photos.test:PORT
                to: http://127.0.0.1:9
                name: "Photos \\"& films\\""
                description: "<script>alert(1)</script> our <b>pictures</b>"
                logo_url: "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20width='8'%20height='8'/%3E"
                allowed_domains: [example.com]
              - from: http://docs.test:PORT
                prefix: /manual/
                to: http://127.0.0.1:9
                allow_any_authenticated_user: true
              - from: http://docs.test:PORT
                prefix: /manual/
                to: http://127.0.0.1:9
                allow_any_authenticated_user: true
              - from: http://*.wild.test:PORT
                to: http://127.0.0.1:9
                allow_any_authenticated_user: true
              - from: http://regex.test:PORT
                regex: "^/a/[0-9]+$"
                to: http://127.0.0.1:9
                allow_any_authenticated_user: true
              - from: http://readonly.test:PORT
                to: http://127.0.0.1:9
                policy:
                  - allow:
                      or:
                        - authenticated_user: true
                    deny:
                      or:
                        - http_method:
                            is: GET
            """;

    private SignInFixture fixture;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        fixture = SignInFixture.startWithRoutes(MORE_ROUTES);
        browser = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void signInAsAlice() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 3600);
        assertThat(browser.open(fixture.url("app", "/")).status()).isEqualTo(200);
    }

    @Test
    void thePortalListsOnlyTheRoutesThisPersonMayOpenWithPomeriumsFields() throws Exception {
        signInAsAlice();
        Answer api = browser.get(fixture.url("app", "/.pomerium/api/v1/routes"));
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode routes = JSON.readTree(api.body()).get("routes");
        List<String> links = new ArrayList<>();
        routes.forEach(route -> links.add(route.get("from").asText()));
        String port = ":" + fixture.port;
        assertThat(links).containsExactly("http://app.test" + port + "/", "http://other.test" + port + "/",
                "http://public.test" + port + "/", "http://photos.test" + port + "/",
                "http://docs.test" + port + "/manual/");
        JsonNode photos = routes.get(3);
        List<String> fields = new ArrayList<>();
        photos.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "name", "type", "from", "description", "logo_url");
        assertThat(photos.get("name").asText()).isEqualTo("Photos \"& films\"");
        assertThat(photos.get("type").asText()).isEqualTo("http");
        assertThat(photos.get("description").asText()).isEqualTo("<script>alert(1)</script> our <b>pictures</b>");
        assertThat(photos.get("logo_url").asText()).startsWith("data:image/svg+xml,");
        assertThat(routes.get(0).get("description").asText()).isEmpty();
        assertThat(routes.get(0).get("id").asText()).matches("[0-9a-f]{16}");

        Answer html = browser.get(fixture.url("app", "/.pomerium/routes"));
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("alice@example.com").doesNotContain("<script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("Photos &quot;&amp; films&quot;")
                .doesNotContain("bob.test").doesNotContain("wild.test").doesNotContain("readonly.test");
        assertThat(html.header("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("img-src https: http: data:")
                        .doesNotContain("script-src"));
    }

    @Test
    void aStrangerSeesNoRoute() throws Exception {
        Answer api = browser.get(fixture.url("app", "/.pomerium/api/v1/routes"), "Accept", "application/json");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.body()).doesNotContain("photos.test").doesNotContain("public.test");
        Answer page = browser.get(fixture.url("app", "/.pomerium/routes"));
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).startsWith(fixture.url("authenticate", "/.pomerium/sign_in?"));
    }

    @Test
    void theRuntimeFlagTurnsThePortalOff() throws Exception {
        fixture.restart("runtime_flags:\n  routes_portal: false");
        signInAsAlice();
        assertThat(browser.get(fixture.url("app", "/.pomerium/routes")).status()).isEqualTo(404);
        assertThat(browser.get(fixture.url("app", "/.pomerium/api/v1/routes")).status()).isEqualTo(404);
        assertThat(browser.get(fixture.url("app", "/.pomerium/")).body()).doesNotContain("/.pomerium/routes");
    }

    @Test
    void theUserPageLinksToThePortal() throws Exception {
        signInAsAlice();
        assertThat(browser.get(fixture.url("app", "/.pomerium/")).body())
                .contains("<a href=\"/.pomerium/routes\">Your routes</a>");
    }

    @Test
    void theSignInHostSendsItsRootToTheUserPageAndAsksRobotsToStayAway() throws Exception {
        Answer root = browser.get(fixture.url("authenticate", "/"));
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.location()).isEqualTo("/.pomerium/");
        Answer robots = browser.get(fixture.url("authenticate", "/robots.txt"));
        assertThat(robots.status()).isEqualTo(200);
        assertThat(robots.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(robots.body()).isEqualTo("User-agent: *\nDisallow: /");
    }

    @Test
    void aRobotsTxtThePolicyWouldRefuseIsTheProxysAndAnAllowedOneTheApplications() throws Exception {
        int before = fixture.upstream.requests().size();
        Answer stranger = browser.get(fixture.url("app", "/robots.txt"));
        assertThat(stranger.status()).isEqualTo(200);
        assertThat(stranger.body()).isEqualTo("User-agent: *\nDisallow: /");
        assertThat(fixture.upstream.requests()).hasSize(before);

        assertThat(browser.get(fixture.url("public", "/robots.txt")).body()).as("the application's own")
                .contains("\"path\"");
        signInAsAlice();
        assertThat(browser.get(fixture.url("app", "/robots.txt")).body()).contains("\"path\"");
    }

    @Test
    void theUserEndpointAnswersTheAssertionsClaimsWithoutThoseAboutTheToken() throws Exception {
        signInAsAlice();
        String jwt = fixture.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion");
        JsonNode assertion = JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                StandardCharsets.UTF_8));
        JsonNode user = JSON.readTree(browser.get(fixture.url("app", "/.pomerium/user")).body());

        List<String> expected = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = assertion.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> claim = it.next();
            if (!List.of("iss", "aud", "exp", "iat", "jti").contains(claim.getKey())) {
                expected.add(claim.getKey());
                assertThat(user.get(claim.getKey())).as(claim.getKey()).isEqualTo(claim.getValue());
            }
        }
        List<String> fields = new ArrayList<>();
        user.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrderElementsOf(expected).contains("sub", "email", "groups")
                .doesNotContain("iss", "aud", "exp", "iat", "jti");
    }
}
