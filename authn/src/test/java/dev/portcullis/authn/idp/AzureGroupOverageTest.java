package dev.portcullis.authn.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.portcullis.authn.idp.Stages.await;
import static dev.portcullis.authn.idp.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.portcullis.authn.idp.IdentityProviderException.Kind;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure group overage: mock-oauth2-server issues the Entra ID tokens, WireMock stands in for Microsoft Graph. */
class AzureGroupOverageTest {

    private static final String TENANT = "tenant-1";
    private static final URI REDIRECT = URI.create("https://authenticate.example.com/oauth2/callback");
    private static final String GROUPS_PATH = "/v1.0/me/transitiveMemberOf/microsoft.graph.group";

    private final SecureRandom random = new SecureRandom();
    private MockOAuth2Server azure;
    private WireMockServer graph;
    private ExecutorService blocking;
    private IdentityProvider provider;

    @BeforeEach
    void start() {
        azure = new MockOAuth2Server();
        azure.start();
        graph = new WireMockServer(options().dynamicPort());
        graph.start();
        blocking = Executors.newCachedThreadPool();
        provider = IdentityProviders.create(new ProviderSettings("azure", Optional.of(azure.issuerUrl(TENANT).uri()),
                // mock-oauth2-server answers Azure's default prompt=select_account with a login page
                "azure-client", "azure-secret", List.of(), Map.of("prompt", "none")), blocking, Clock.systemUTC(),
                URI.create(graph.baseUrl()));
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        graph.stop();
        azure.shutdown();
    }

    private SignedInUser signIn(Map<String, Object> claims) throws Exception {
        return await(signingIn(claims));
    }

    /** Runs the authorization step and returns the redemption in progress. */
    private CompletionStage<SignedInUser> signingIn(Map<String, Object> claims) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>(claims);
        all.put("email", "ada@example.com");
        all.put("name", "Ada");
        azure.enqueueCallback(new DefaultOAuth2TokenCallback(TENANT, "azure-user", "JWT", null, all, 3600));
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        String code = Browser.callbackParameters(await(provider.authorizationUrl(request))).get("code");
        return provider.redeem(code, request);
    }

    private void graphHasTwoPages() {
        String next = graph.baseUrl() + GROUPS_PATH + "?$select=id,displayName&$skiptoken=page2";
        graph.stubFor(get(urlPathEqualTo(GROUPS_PATH)).withQueryParam("$select", equalTo("id,displayName"))
                .withQueryParam("$skiptoken", absent())
                .willReturn(okJson("{\"value\":[{\"id\":\"11111111-aaaa\",\"displayName\":\"Engineering\"},"
                        + "{\"id\":\"22222222-bbbb\",\"displayName\":\"Ops\"}],\"@odata.nextLink\":\"" + next + "\"}")));
        graph.stubFor(get(urlPathEqualTo(GROUPS_PATH)).withQueryParam("$skiptoken", equalTo("page2"))
                .willReturn(okJson("{\"value\":[{\"id\":\"33333333-cccc\",\"displayName\":\"Admins\"}]}")));
    }

    @Test
    void groupsInTheTokenNeedNoGraphCall() throws Exception {
        SignedInUser user = signIn(Map.of("groups", List.of("g-in-token")));

        assertThat(user.groups()).containsExactly("g-in-token");
        graph.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void claimNamesOverageReadsEveryGraphPage() throws Exception {
        graphHasTwoPages();

        SignedInUser user = signIn(Map.of("_claim_names", Map.of("groups", "src1"),
                "_claim_sources", Map.of("src1", Map.of("endpoint", "https://graph.windows.net/tenant/users/x/getMemberObjects"))));

        assertThat(user.userId()).isEqualTo("azure-user");
        assertThat(user.groups()).containsExactly("11111111-aaaa", "22222222-bbbb", "33333333-cccc");
        graph.verify(2, getRequestedFor(urlPathEqualTo(GROUPS_PATH)).withHeader("Authorization", matching("Bearer .+")));
    }

    @Test
    void hasGroupsOverageReadsGraphToo() throws Exception {
        graphHasTwoPages();

        SignedInUser user = signIn(Map.of("hasgroups", true));

        assertThat(user.groups()).containsExactly("11111111-aaaa", "22222222-bbbb", "33333333-cccc");
    }

    @Test
    void unreadableGraphFailsClosed() throws Exception {
        graph.stubFor(get(urlPathEqualTo(GROUPS_PATH)).willReturn(aResponse().withStatus(503)));

        IdentityProviderException failure = failureOf(signingIn(Map.of("hasgroups", true)));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("groups could not be read");
    }

    @Test
    void nextLinkOffTheGraphHostFailsClosed() throws Exception {
        graph.stubFor(get(urlPathEqualTo(GROUPS_PATH)).willReturn(okJson(
                "{\"value\":[{\"id\":\"g1\"}],\"@odata.nextLink\":\"https://attacker.example/steal\"}")));

        IdentityProviderException failure = failureOf(signingIn(Map.of("hasgroups", true)));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("groups could not be read");
    }
}
