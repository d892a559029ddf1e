package dev.portcullis.authn.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.portcullis.authn.idp.Stages.await;
import static dev.portcullis.authn.idp.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.authn.idp.IdentityProviderException.Kind;
import dev.portcullis.authn.testing.TestClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers mock-oauth2-server cannot be made to give (userinfo that differs from the ID token, token
 * responses without tokens, failing discovery), from a provider scripted on WireMock with its own key.
 */
class StandInProviderTest {

    private static final String CLIENT_ID = "portcullis";
    private static final String DISCOVERY = "/.well-known/openid-configuration";
    private static final URI REDIRECT = URI.create("https://authenticate.example.com/oauth2/callback");

    private final SecureRandom random = new SecureRandom();
    private final TestClock clock = new TestClock();
    private WireMockServer wire;
    private RSAKey key;
    private ExecutorService blocking;
    private IdentityProvider provider;

    @BeforeEach
    void start() throws Exception {
        wire = new WireMockServer(options().dynamicPort());
        wire.start();
        key = new RSAKeyGenerator(2048).keyID("stand-in").generate();
        wire.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())));
        wire.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery(wire.baseUrl(), "\"client_secret_basic\""))));
        blocking = Executors.newCachedThreadPool();
        provider = IdentityProviders.create(new ProviderSettings("oidc", Optional.of(URI.create(wire.baseUrl())),
                CLIENT_ID, "s3cret", List.of(), Map.of()), blocking, clock);
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        wire.stop();
    }

    private String discovery(String issuer, String authMethods) {
        String base = wire.baseUrl();
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + base + "/authorize\","
                + "\"token_endpoint\":\"" + base + "/token\",\"userinfo_endpoint\":\"" + base + "/userinfo\","
                + "\"jwks_uri\":\"" + base + "/jwks\",\"response_types_supported\":[\"code\"],"
                + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                + "\"token_endpoint_auth_methods_supported\":[" + authMethods + "]}";
    }

    private String idToken(RSAKey signer, String issuer, Map<String, Object> claims) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).subject("user-1").audience(CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                builder.build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private void tokenEndpointAnswers(String json) {
        wire.stubFor(post(urlEqualTo("/token")).willReturn(okJson(json)));
    }

    @Test
    void userinfoCompletesWhatTheIdTokenLacks() throws Exception {
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        tokenEndpointAnswers("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\""
                + idToken(key, wire.baseUrl(), Map.of("nonce", request.nonce(), "name", "Ada")) + "\"}");
        wire.stubFor(get(urlEqualTo("/userinfo")).withHeader("Authorization", equalTo("Bearer at-1"))
                .willReturn(okJson("{\"sub\":\"user-1\",\"email\":\"ada@example.com\",\"name\":\"Not Ada\","
                        + "\"groups\":[\"staff\"]}")));

        SignedInUser user = await(provider.redeem("code-1", request));

        assertThat(user.name()).as("the ID token wins").isEqualTo("Ada");
        assertThat(user.email()).isEqualTo("ada@example.com");
        assertThat(user.groups()).containsExactly("staff");
        assertThat(user.refreshToken()).isEmpty();
        assertThat(user.tokensExpireAt()).hasValueSatisfying(expiry -> assertThat(expiry)
                .isBetween(Instant.now().plusSeconds(250), Instant.now().plusSeconds(350)));
        wire.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Authorization", matching("Basic .+"))
                .withRequestBody(containing("code=code-1"))
                .withRequestBody(containing("code_verifier=" + request.codeVerifier())));
    }

    @Test
    void userinfoAboutAnotherSubjectIsRejected() throws Exception {
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        tokenEndpointAnswers("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\""
                + idToken(key, wire.baseUrl(), Map.of("nonce", request.nonce())) + "\"}");
        wire.stubFor(get(urlEqualTo("/userinfo")).willReturn(okJson("{\"sub\":\"user-2\",\"email\":\"eve@example.com\"}")));

        IdentityProviderException failure = failureOf(provider.redeem("code-1", request));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("another user");
    }

    @Test
    void idTokenFromAnotherIssuerIsRejected() throws Exception {
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        RSAKey otherIssuerKey = new RSAKeyGenerator(2048).keyID("elsewhere").generate();
        tokenEndpointAnswers("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\""
                + idToken(otherIssuerKey, "https://elsewhere.example", Map.of("nonce", request.nonce())) + "\"}");

        IdentityProviderException failure = failureOf(provider.redeem("code-1", request));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).startsWith("ID token rejected");
    }

    @Test
    void idTokenSignedWithAnotherKeyIsRejected() throws Exception {
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        tokenEndpointAnswers("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\""
                + idToken(impostor, wire.baseUrl(), Map.of("nonce", request.nonce())) + "\"}");

        IdentityProviderException failure = failureOf(provider.redeem("code-1", request));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("Invalid signature");
    }

    @Test
    void clientSecretPostWhenDiscoveryListsOnlyThat() throws Exception {
        wire.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery(wire.baseUrl(), "\"client_secret_post\""))));
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        tokenEndpointAnswers("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken(key,
                wire.baseUrl(), Map.of("nonce", request.nonce(), "email", "a@example.com", "name", "A",
                        "groups", List.of())) + "\"}");

        SignedInUser user = await(provider.redeem("code-1", request));

        assertThat(user.userId()).isEqualTo("user-1");
        wire.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Authorization", absent())
                .withRequestBody(containing("client_id=" + CLIENT_ID))
                .withRequestBody(containing("client_secret=s3cret")));
    }

    @Test
    void refreshWithoutNewTokensKeepsTheRefreshTokenAndRereadsUserinfo() throws Exception {
        tokenEndpointAnswers("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        wire.stubFor(get(urlEqualTo("/userinfo")).withHeader("Authorization", equalTo("Bearer at-2"))
                .willReturn(okJson("{\"sub\":\"user-1\",\"email\":\"new@example.com\"}")));

        SignedInUser refreshed = await(provider.refresh("the-old-refresh-token"));

        assertThat(refreshed.userId()).isEqualTo("user-1");
        assertThat(refreshed.email()).isEqualTo("new@example.com");
        assertThat(refreshed.refreshToken()).contains("the-old-refresh-token");
        assertThat(refreshed.idToken()).isEmpty();
        assertThat(refreshed.tokensExpireAt()).isPresent();
        wire.verify(postRequestedFor(urlEqualTo("/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=the-old-refresh-token")));
    }

    @Test
    void refusedRefreshIsRejectedWithoutTheDescription() {
        wire.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"revoked-refresh-token is revoked\"}")));

        IdentityProviderException failure = failureOf(provider.refresh("revoked-refresh-token"));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("invalid_grant").doesNotContain("revoked-refresh-token");
    }

    @Test
    void tokenEndpointOutageIsUnavailable() {
        wire.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(503)));

        IdentityProviderException failure = failureOf(provider.refresh("refresh-token"));

        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("503");
    }

    @Test
    void failedDiscoveryIsRetriedButNotWithinFiveSeconds() throws Exception {
        wire.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(aResponse().withStatus(503)));
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);

        IdentityProviderException first = failureOf(provider.authorizationUrl(request));
        IdentityProviderException second = failureOf(provider.authorizationUrl(request));
        wire.verify(1, getRequestedFor(urlEqualTo(DISCOVERY)));
        wire.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery(wire.baseUrl(), "\"client_secret_basic\""))));
        clock.advance(Duration.ofSeconds(6));
        URI url = await(provider.authorizationUrl(request));
        await(provider.authorizationUrl(request));

        assertThat(first.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(first.getMessage()).contains("503");
        assertThat(second.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(url.toString()).startsWith(wire.baseUrl() + "/authorize?");
        wire.verify(2, getRequestedFor(urlEqualTo(DISCOVERY)));
    }

    @Test
    void discoveryNamingAnotherIssuerIsUnavailable() {
        wire.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery("https://elsewhere.example", ""))));

        IdentityProviderException failure = failureOf(provider.authorizationUrl(AuthorizationRequest.start(REDIRECT, random)));

        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("https://elsewhere.example", wire.baseUrl());
    }

    @Test
    void noEndSessionEndpointMeansNoLogoutUrl() throws Exception {
        assertThat(await(provider.endSessionUrl(Optional.empty(), URI.create("https://app.example.com/"), Optional.empty()))).isEmpty();
        wire.verify(getRequestedFor(urlPathEqualTo(DISCOVERY)));
    }
}
