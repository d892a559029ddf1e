package dev.portcullis.authn.idp;

import static dev.portcullis.authn.idp.Stages.await;
import static dev.portcullis.authn.idp.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.idp.IdentityProviderException.Kind;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.6) signed by mock-oauth2-server. */
class BackChannelLogoutTest {

    private static final String ISSUER = "issuer1";
    private static final String CLIENT_ID = "portcullis";
    private static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private MockOAuth2Server server;
    private ExecutorService blocking;
    private IdentityProvider provider;

    @BeforeEach
    void start() {
        server = new MockOAuth2Server();
        server.start();
        blocking = Executors.newCachedThreadPool();
        provider = IdentityProviders.create(new ProviderSettings("oidc", Optional.of(server.issuerUrl(ISSUER).uri()),
                CLIENT_ID, "client-secret", List.of(), Map.of()), blocking, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        server.shutdown();
    }

    private String logoutToken(String issuerId, String type, String audience, Map<String, Object> claims, long expiry) {
        return server.issueToken(issuerId, CLIENT_ID,
                new DefaultOAuth2TokenCallback(issuerId, "user-1", type, List.of(audience), claims, expiry)).serialize();
    }

    private String logoutToken(Map<String, Object> claims) {
        return logoutToken(ISSUER, "logout+jwt", CLIENT_ID, claims, 120);
    }

    private static Map<String, Object> validClaims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("events", Map.of(EVENT, Map.of()));
        claims.put("sid", "provider-session-1");
        return claims;
    }

    private void assertRejected(String token, String reason) {
        IdentityProviderException failure = failureOf(provider.verifyLogoutToken(token));
        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).startsWith("logout token rejected").contains(reason);
    }

    @Test
    void validLogoutTokenNamesSubjectAndSession() throws Exception {
        LogoutNotice notice = await(provider.verifyLogoutToken(logoutToken(validClaims())));

        assertThat(notice.subject()).contains("user-1");
        assertThat(notice.providerSessionId()).contains("provider-session-1");
    }

    @Test
    void plainJwtTypeIsAcceptedToo() throws Exception {
        LogoutNotice notice = await(provider.verifyLogoutToken(logoutToken(ISSUER, "JWT", CLIENT_ID, validClaims(), 120)));

        assertThat(notice.subject()).contains("user-1");
    }

    @Test
    void missingEventsIsRejected() {
        Map<String, Object> claims = validClaims();
        claims.remove("events");

        assertRejected(logoutToken(claims), "[events]");
    }

    @Test
    void eventThatIsNotAnObjectIsRejected() {
        Map<String, Object> claims = validClaims();
        claims.put("events", Map.of(EVENT, "logout"));

        assertRejected(logoutToken(claims), "back-channel logout event");
    }

    @Test
    void nonceIsRejected() {
        Map<String, Object> claims = validClaims();
        claims.put("nonce", "n-0S6_WzA2Mj");

        assertRejected(logoutToken(claims), "[nonce]");
    }

    @Test
    void wrongAudienceIsRejected() {
        assertRejected(logoutToken(ISSUER, "logout+jwt", "another-client", validClaims(), 120), "audience");
    }

    @Test
    void issuedInTheFutureIsRejected() {
        Map<String, Object> claims = validClaims();
        claims.put("iat", Date.from(Instant.now().plusSeconds(600)));

        assertRejected(logoutToken(claims), "future");
    }

    @Test
    void expiredIsRejected() {
        assertRejected(logoutToken(ISSUER, "logout+jwt", CLIENT_ID, validClaims(), -600), "Expired");
    }

    @Test
    void badSignatureIsRejected() {
        String[] genuine = logoutToken(validClaims()).split("\\.");
        Map<String, Object> otherClaims = validClaims();
        otherClaims.put("sid", "someone-elses-session");
        String[] other = logoutToken(otherClaims).split("\\.");

        assertRejected(genuine[0] + "." + other[1] + "." + genuine[2], "Invalid signature");
    }

    @Test
    void tokenSignedByAnotherIssuerIsRejected() {
        Map<String, Object> claims = validClaims();
        claims.put("iss", server.issuerUrl(ISSUER).toString());

        assertRejected(logoutToken("issuer2", "logout+jwt", CLIENT_ID, claims, 120), "no matching key");
    }

    @Test
    void garbageIsRejected() {
        assertRejected("not-a-jwt", "not a signed JWT");
    }
}
