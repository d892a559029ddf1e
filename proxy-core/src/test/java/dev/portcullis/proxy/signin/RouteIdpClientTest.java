package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes with their own OAuth client ({@code idp_client_id}, {@code idp_client_secret} on a route), as in
 * Pomerium: people sign in to such a route through its client of the same provider, and a session made
 * through one client is not accepted on a route of another.
 */
class RouteIdpClientTest {
    private static final String CLIENT_A = "team-a-client";
    private static final String SECRET_A = "team-a-secret";
    private static final String CLIENT_B = "team-b-client";
    private static final String SECRET_B = "team-b-secret";

    private TestUpstream teams;
    private SignInFixture fixture;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        teams = new TestUpstream("teams");
        fixture = SignInFixture.startWithRoutes("""
                  - from: http://team-a.test:PORT
                    to: %1$s
                    allowed_users: [alice@example.com]
                    idp_client_id: %2$s
                    idp_client_secret: %3$s
                  - from: http://team-b.test:PORT
                    to: %1$s
                    allowed_users: [alice@example.com]
                    idp_client_id: %4$s
                    idp_client_secret: %5$s
                """.formatted(teams.url(), CLIENT_A, SECRET_A, CLIENT_B, SECRET_B));
        browser = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
        teams.close();
    }

    private List<Answer> signIn(String host, String clientId) throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 3600, clientId);
        return browser.follow(fixture.url(host, "/page"));
    }

    @Test
    void eachRouteSignsPeopleInThroughItsOwnClientAndItsUpstreamGetsTheAssertion() throws Exception {
        List<Answer> hops = signIn("team-a", CLIENT_A);

        assertThat(clientIdAt(hops)).isEqualTo(CLIENT_A);
        assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
        assertThat(lastTokenRequestClient()).isEqualTo(CLIENT_A + ":" + SECRET_A);
        assertThat(teams.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
        assertThat(teams.lastRequest().header("X-Pomerium-Claim-Email")).isEqualTo("alice@example.com");

        // the authenticate host's session is client A's: team-b's sign-in goes to the provider with client B
        hops = signIn("team-b", CLIENT_B);

        assertThat(clientIdAt(hops)).isEqualTo(CLIENT_B);
        assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
        assertThat(hops.get(hops.size() - 1).url()).isEqualTo(fixture.url("team-b", "/page"));
        assertThat(lastTokenRequestClient()).isEqualTo(CLIENT_B + ":" + SECRET_B);
        assertThat(teams.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
    }

    @Test
    void aSessionOfOneClientIsNotAcceptedOnARouteOfAnother() throws Exception {
        signIn("team-a", CLIENT_A);
        int seen = teams.requests().size();

        // client A's session, as a shared cookie_domain would carry it to team-b
        browser.cookies("team-b.test").putAll(browser.cookies("team-a.test"));
        Answer onB = browser.get(fixture.url("team-b", "/page"));

        assertThat(onB.status()).isEqualTo(302);
        assertThat(onB.location()).startsWith("http://authenticate.test:" + fixture.port + "/.pomerium/sign_in?");
        assertThat(teams.requests()).hasSize(seen);
        assertThat(browser.get(fixture.url("team-b", "/.pomerium/user")).status())
                .as("nor do the proxy's own pages on team-b take it").isEqualTo(401);
        assertThat(browser.get(fixture.url("team-a", "/.pomerium/user")).status()).isEqualTo(200);
        // nor on a route of the top-level client
        browser.cookies("app.test").putAll(browser.cookies("team-a.test"));
        assertThat(browser.get(fixture.url("app", "/page")).status()).isEqualTo(302);
        // and the session goes on working where it was made
        assertThat(browser.get(fixture.url("team-a", "/page")).status()).isEqualTo(200);
    }

    @Test
    void aRouteWithoutItsOwnClientSignsInThroughTheTopLevelOneAndRefusesARoutesSession() throws Exception {
        List<Answer> hops = signIn("app", TestIdentityProvider.CLIENT_ID);

        assertThat(clientIdAt(hops)).isEqualTo(TestIdentityProvider.CLIENT_ID);
        assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
        assertThat(lastTokenRequestClient()).isEqualTo(TestIdentityProvider.CLIENT_ID + ":" + TestIdentityProvider.CLIENT_SECRET);

        browser.cookies("team-a.test").putAll(browser.cookies("app.test"));
        assertThat(browser.get(fixture.url("team-a", "/page")).status()).isEqualTo(302);
    }

    @Test
    void aRoutesSessionIsRenewedThroughItsClientAndStaysBoundToIt() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 600, CLIENT_A);
        assertThat(browser.open(fixture.url("team-a", "/page")).status()).isEqualTo(200);

        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 600, CLIENT_A);
        fixture.clock.advance(Duration.ofSeconds(560));
        Answer renewed = browser.get(fixture.url("team-a", "/page"));

        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.headers("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("_pomerium="));
        assertThat(fixture.idp.refreshCalls()).isEqualTo(1);
        assertThat(lastTokenRequestClient()).isEqualTo(CLIENT_A + ":" + SECRET_A);
        browser.cookies("team-b.test").putAll(browser.cookies("team-a.test"));
        assertThat(browser.get(fixture.url("team-b", "/page")).status()).as("the renewed session is still client A's")
                .isEqualTo(302);
    }

    @Test
    void aBackChannelLogoutToARoutesClientEndsTheSessionsMadeThroughIt() throws Exception {
        signIn("team-b", CLIENT_B);
        assertThat(browser.get(fixture.url("team-b", "/page")).status()).isEqualTo(200);
        Map<String, Object> logout = Map.of("events", Map.of("http://schemas.openid.net/event/backchannel-logout",
                Map.of()), "sid", "idp-session-alice");

        Answer foreign = browser.post(fixture.url("authenticate", "/.pomerium/backchannel_logout"),
                "logout_token=" + fixture.idp.signedToken("alice", logout, "someone-elses-client"));
        assertThat(foreign.status()).as("a token for no client of this proxy").isEqualTo(400);
        assertThat(browser.get(fixture.url("team-b", "/page")).status()).isEqualTo(200);

        Answer accepted = browser.post(fixture.url("authenticate", "/.pomerium/backchannel_logout"),
                "logout_token=" + fixture.idp.signedToken("alice", logout, CLIENT_B));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(browser.get(fixture.url("team-b", "/page")).status()).isEqualTo(302);
    }

    /** The client_id of the authorization request among the hops. */
    private static String clientIdAt(List<Answer> hops) {
        String authorize = hops.stream().map(a -> a.header("location").orElse(""))
                .filter(l -> l.contains("/authorize?")).findFirst().orElseThrow();
        for (String parameter : URI.create(authorize).getRawQuery().split("&")) {
            if (parameter.startsWith("client_id=")) {
                return URLDecoder.decode(parameter.substring("client_id=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no client_id in " + authorize);
    }

    /** The client credentials of the provider's last token request ({@code id:secret}). */
    private String lastTokenRequestClient() {
        List<RecordedRequest> tokens = fixture.idp.requests("/token");
        RecordedRequest last = tokens.get(tokens.size() - 1);
        String authorization = last.getHeaders().get("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            return URLDecoder.decode(pair.substring(0, pair.indexOf(':')), StandardCharsets.UTF_8) + ":"
                    + URLDecoder.decode(pair.substring(pair.indexOf(':') + 1), StandardCharsets.UTF_8);
        }
        String form = last.getBody().clone().readUtf8();
        return parameter(form, "client_id") + ":" + parameter(form, "client_secret");
    }

    private static String parameter(String form, String name) {
        for (String pair : form.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
