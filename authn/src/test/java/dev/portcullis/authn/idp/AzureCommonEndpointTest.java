package dev.portcullis.authn.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
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
 * {@code idp_provider: azure} at Microsoft's common endpoint, with WireMock as login.microsoftonline.com: its
 * discovery document names the templated issuer {@code …/{tenantid}/v2.0}, and each ID token names its own
 * tenant's issuer and {@code tid}, signed with the keys of the common {@code jwks_uri}.
 */
class AzureCommonEndpointTest {

    private static final String TENANT_X = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String TENANT_Y = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    private static final String CLIENT = "azure-client";
    private static final URI REDIRECT = URI.create("https://authenticate.example.com/oauth2/callback");

    private final SecureRandom random = new SecureRandom();
    private WireMockServer microsoft;
    private ExecutorService blocking;
    private RSAKey commonKey;

    @BeforeEach
    void start() throws Exception {
        microsoft = new WireMockServer(options().dynamicPort());
        microsoft.start();
        blocking = Executors.newCachedThreadPool();
        commonKey = new RSAKeyGenerator(2048).keyID("common-key").generate();
        servesDiscovery(microsoft.baseUrl() + "/{tenantid}/v2.0");
        microsoft.stubFor(get(urlPathEqualTo("/common/discovery/v2.0/keys"))
                .willReturn(okJson(new JWKSet(commonKey.toPublicJWK()).toString())));
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        microsoft.stop();
    }

    private void servesDiscovery(String issuer) {
        String base = microsoft.baseUrl();
        microsoft.stubFor(get(urlPathEqualTo("/common/v2.0/.well-known/openid-configuration")).willReturn(okJson("""
                {"issuer": "%2$s",
                 "authorization_endpoint": "%1$s/common/oauth2/v2.0/authorize",
                 "token_endpoint": "%1$s/common/oauth2/v2.0/token",
                 "jwks_uri": "%1$s/common/discovery/v2.0/keys",
                 "response_types_supported": ["code", "id_token", "code id_token"],
                 "subject_types_supported": ["pairwise"],
                 "id_token_signing_alg_values_supported": ["RS256"],
                 "scopes_supported": ["openid", "profile", "email", "offline_access"]}
                """.formatted(base, issuer))));
    }

    private IdentityProvider provider() {
        return IdentityProviders.create(new ProviderSettings("azure",
                Optional.of(URI.create(microsoft.baseUrl() + "/common/v2.0")), CLIENT, "azure-secret", List.of(),
                Map.of()), blocking, Clock.systemUTC());
    }

    /** Signs in with the ID token the token endpoint answers: {@code iss} and {@code tid} as given. */
    private java.util.concurrent.CompletionStage<SignedInUser> signIn(String iss, String tid, RSAKey key)
            throws Exception {
        IdentityProvider provider = provider();
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(iss).audience(CLIENT).subject("ada-sub")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("nonce", request.nonce()).claim("email", "ada@x.example").claim("name", "Ada")
                .claim("oid", "00000000-0000-0000-0000-00000000a0a0");
        if (tid != null) {
            claims.claim("tid", tid);
        }
        SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        idToken.sign(new RSASSASigner(key));
        microsoft.stubFor(post(urlPathEqualTo("/common/oauth2/v2.0/token")).willReturn(okJson("""
                {"token_type": "Bearer", "access_token": "at-1", "expires_in": 3600, "id_token": "%s"}
                """.formatted(idToken.serialize()))));
        return provider.redeem("code-1", request);
    }

    private String issuerOf(String tenant) {
        return microsoft.baseUrl() + "/" + tenant + "/v2.0";
    }

    @Test
    void aTokenFromAnyTenantNamingItsOwnIssuerSignsIn() throws Exception {
        SignedInUser ada = await(signIn(issuerOf(TENANT_X), TENANT_X, commonKey));

        assertThat(ada.userId()).isEqualTo("ada-sub");
        assertThat(ada.email()).isEqualTo("ada@x.example");
        assertThat(ada.claims()).containsEntry("tid", TENANT_X);
    }

    @Test
    void theSignInAsksMicrosoftToLetThePersonChooseTheAccount() throws Exception {
        URI url = await(provider().authorizationUrl(AuthorizationRequest.start(REDIRECT, random)));

        assertThat(url.toString()).startsWith(microsoft.baseUrl() + "/common/oauth2/v2.0/authorize?");
        assertThat(Browser.query(url)).containsEntry("prompt", "select_account")
                .containsEntry("scope", "openid profile email offline_access");
    }

    @Test
    void aTokenNamingAnotherTenantsIssuerThanItsTidIsRefused() throws Exception {
        IdentityProviderException failure = failureOf(signIn(issuerOf(TENANT_Y), TENANT_X, commonKey));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("ID token rejected");
    }

    @Test
    void aTokenNamingTheTemplateItselfIsRefused() throws Exception {
        IdentityProviderException failure = failureOf(signIn(microsoft.baseUrl() + "/{tenantid}/v2.0", TENANT_X,
                commonKey));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
    }

    @Test
    void aTidThatIsNoGuidIsRefused() throws Exception {
        for (String tid : new String[] {"common", "evil.example/x", TENANT_X + "/v2.0", ""}) {
            IdentityProviderException failure = failureOf(signIn(issuerOf(tid), tid, commonKey));
            assertThat(failure.kind()).as(tid).isEqualTo(Kind.REJECTED);
            assertThat(failure.getMessage()).as(tid).contains("tid is not a GUID");
        }
        IdentityProviderException missing = failureOf(signIn(issuerOf(TENANT_X), null, commonKey));
        assertThat(missing.getMessage()).contains("tid is missing");
    }

    @Test
    void aTokenSignedByAKeyNotInTheCommonKeySetIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("common-key").generate();

        IdentityProviderException failure = failureOf(signIn(issuerOf(TENANT_X), TENANT_X, stranger));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
    }

    @Test
    void aDiscoveryDocumentWhoseTemplateDoesNotFitTheConfiguredUrlIsRefused() throws Exception {
        servesDiscovery("https://login.attacker.example/{tenantid}/v2.0");

        IdentityProviderException failure = failureOf(provider().authorizationUrl(
                AuthorizationRequest.start(REDIRECT, random)));

        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("names issuer https://login.attacker.example/{tenantid}/v2.0");
    }
}
