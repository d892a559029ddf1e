package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pomerium's substitutions in {@code set_request_headers} ({@code Authorization: Bearer ${pomerium.id_token}} is
 * how people feed Grafana or a Kubernetes dashboard its token), after a real sign-in at a real OpenID Connect
 * provider, as a real upstream receives them; and the assertion a route sends, as Pomerium writes it.
 */
class HeaderSubstitutionsTest {
    private TestUpstream tokens;
    private SignInFixture fixture;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        tokens = new TestUpstream("tokens");
        fixture = SignInFixture.startWithRoutes("""
                  - from: http://tokens.test:PORT
                    to: %1$s
                    allowed_users: [alice@example.com]
                    set_request_headers:
                      X-Id-Token: ${pomerium.id_token}
                      X-Access-Token: $pomerium.access_token
                      Authorization: Bearer ${pomerium.jwt}
                      X-Incoming: 'From-Incoming ${pomerium.request.headers["X-Custom"]}'
                      X-Literal: 'costs $$5, $HOME is unknown, ${pomerium.client_cert_fingerprint} without a cert'
                  - from: http://uri.test:PORT
                    to: %1$s
                    allowed_users: [alice@example.com]
                    jwt_issuer_format: uri
                    pass_identity_headers: false
                    set_request_headers:
                      X-Jwt: ${pomerium.jwt}
                """.formatted(tokens.url()));
        browser = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
        tokens.close();
    }

    @Test
    void theUpstreamReceivesTheProvidersTokensAndTheAssertion() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 600);
        Answer last = browser.open(fixture.url("tokens", "/dashboard"));
        assertThat(last.status()).isEqualTo(200);
        browser.get(fixture.url("tokens", "/dashboard"), "X-Custom", "hello");

        TestUpstream.Recorded seen = tokens.lastRequest();
        JwtClaims idToken = providerToken(seen.header("X-Id-Token"));
        assertThat(idToken.getSubject()).isEqualTo("alice");
        assertThat(idToken.getAudience()).containsExactly(TestIdentityProvider.CLIENT_ID);
        assertThat(idToken.getClaimValue("email")).isEqualTo("alice@example.com");
        String accessToken = seen.header("X-Access-Token");
        assertThat(accessToken).isNotBlank().isNotEqualTo(seen.header("X-Id-Token"));
        assertThat(providerToken(accessToken).getSubject()).isEqualTo("alice");

        String jwt = seen.header("X-Pomerium-Jwt-Assertion");
        assertThat(seen.header("Authorization")).isEqualTo("Bearer " + jwt);
        JwtClaims assertion = proxyAssertion(jwt, "tokens.test", "tokens.test");
        assertThat(assertion.getSubject()).isEqualTo("alice");

        assertThat(seen.header("X-Incoming")).isEqualTo("From-Incoming hello");
        assertThat(seen.header("X-Literal")).isEqualTo("costs $5,  is unknown,  without a cert");
    }

    @Test
    void renewedTokensReachTheUpstream() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 600);
        assertThat(browser.open(fixture.url("tokens", "/")).status()).isEqualTo(200);
        String firstIdToken = tokens.lastRequest().header("X-Id-Token");
        String firstAccessToken = tokens.lastRequest().header("X-Access-Token");

        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 600);
        fixture.clock.advance(Duration.ofSeconds(560));
        assertThat(browser.get(fixture.url("tokens", "/")).status()).isEqualTo(200);

        TestUpstream.Recorded seen = tokens.lastRequest();
        assertThat(fixture.idp.refreshCalls()).isEqualTo(1);
        assertThat(seen.header("X-Id-Token")).isNotEqualTo(firstIdToken);
        assertThat(seen.header("X-Access-Token")).isNotEqualTo(firstAccessToken);
        assertThat(providerToken(seen.header("X-Id-Token")).getSubject()).isEqualTo("alice");
        // and the renewed cookie carries them on
        assertThat(browser.get(fixture.url("tokens", "/")).status()).isEqualTo(200);
        assertThat(tokens.lastRequest().header("X-Id-Token")).isEqualTo(seen.header("X-Id-Token"));
    }

    @Test
    void jwtIssuerFormatUriAndPomeriumJwtWithoutIdentityHeaders() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 600);
        assertThat(browser.open(fixture.url("uri", "/")).status()).isEqualTo(200);

        TestUpstream.Recorded seen = tokens.lastRequest();
        assertThat(seen.header("X-Pomerium-Jwt-Assertion")).as("pass_identity_headers: false").isNull();
        JwtClaims assertion = proxyAssertion(seen.header("X-Jwt"), "https://uri.test/", "uri.test");
        assertThat(assertion.getSubject()).isEqualTo("alice");
    }

    @Test
    void aStrangerOnAPublicRouteGetsPomeriumsAssertionOfNoOneAndEmptyClaimHeaders() throws Exception {
        Answer answer = browser.get(fixture.url("public", "/"), "X-Pomerium-Jwt-Assertion", "forged",
                "X-Pomerium-Claim-Email", "ceo@example.com");
        assertThat(answer.status()).isEqualTo(200);

        TestUpstream.Recorded seen = fixture.upstream.lastRequest();
        JwtClaims assertion = proxyAssertion(seen.header("X-Pomerium-Jwt-Assertion"), "public.test", "public.test");
        assertThat(assertion.getClaimsMap()).containsEntry("sub", "").containsEntry("user", "")
                .containsEntry("email", "").containsEntry("name", "").containsEntry("sid", "")
                .containsEntry("groups", List.of());
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEmpty();
        assertThat(seen.header("X-Pomerium-Claim-Groups")).isEmpty();
    }

    @Test
    void aSignedInUserOnAPublicRouteGetsTheirAssertion() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 600);
        assertThat(browser.open(fixture.url("tokens", "/")).status()).isEqualTo(200);
        // the public route's host has its own cookie: the user page there signs in (already done at the authenticate host)
        assertThat(browser.open(fixture.url("public", "/.pomerium/")).status()).isEqualTo(200);
        browser.get(fixture.url("public", "/"));

        TestUpstream.Recorded seen = fixture.upstream.lastRequest();
        JwtClaims assertion = proxyAssertion(seen.header("X-Pomerium-Jwt-Assertion"), "public.test", "public.test");
        assertThat(assertion.getSubject()).isEqualTo("alice");
        assertThat(assertion.getClaimValue("email")).isEqualTo("alice@example.com");
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEqualTo("alice@example.com");
    }

    /** A token signed by the identity provider's own key (its JWKS), issued by it. */
    private JwtClaims providerToken(String token) throws Exception {
        assertThat(token).isNotBlank();
        HttpsJwks keys = new HttpsJwks(fixture.idp.issuerUrl() + "/jwks");
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keys))
                .setExpectedIssuer(fixture.idp.issuerUrl())
                .setSkipDefaultAudienceValidation()
                .setEvaluationTime(org.jose4j.jwt.NumericDate.now())
                .build().processToClaims(token);
    }

    /** An assertion signed by a key the proxy publishes on the route host, with this {@code iss} and {@code aud}. */
    private JwtClaims proxyAssertion(String token, String issuer, String audience) throws Exception {
        assertThat(token).isNotBlank().isNotEqualTo("forged");
        Answer jwks = browser.get("http://" + fixture.authority(audience.replace(".test", "")) + "/.well-known/pomerium/jwks.json");
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks.body()).getJsonWebKeys()))
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setEvaluationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(fixture.clock.instant().toEpochMilli()))
                .build().processToClaims(token);
    }
}
