package dev.portcullis.authn.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import dev.portcullis.authn.idp.IdentityProviderException.Kind;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitHub sign-in against WireMock standing in for a GitHub Enterprise Server ({@code {base}/api/v3}). */
class GitHubIdentityProviderTest {

    private static final URI REDIRECT = URI.create("https://authenticate.example.com/oauth2/callback");
    private static final String TOKEN = "gho_test_access_token";

    private final SecureRandom random = new SecureRandom();
    private WireMockServer wire;
    private ExecutorService blocking;
    private IdentityProvider provider;

    @BeforeEach
    void start() {
        wire = new WireMockServer(options().dynamicPort());
        wire.start();
        blocking = Executors.newCachedThreadPool();
        provider = IdentityProviders.create(new ProviderSettings("github", Optional.of(URI.create(wire.baseUrl())),
                "gh-client", "gh-secret", List.of(), Map.of()), blocking, Clock.systemUTC());
        wire.stubFor(post(urlEqualTo("/login/oauth/access_token"))
                .willReturn(okJson("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\",\"scope\":\"read:org\"}")));
        wire.stubFor(get(urlEqualTo("/api/v3/user"))
                .willReturn(okJson("{\"id\":583231,\"login\":\"octocat\",\"name\":null,\"site_admin\":false}")));
        String page2 = wire.baseUrl() + "/api/v3/user/teams?per_page=100&page=2";
        wire.stubFor(get(urlEqualTo("/api/v3/user/teams?per_page=100")).willReturn(okJson(
                "[{\"slug\":\"developers\",\"organization\":{\"login\":\"acme\"}}]")
                .withHeader("Link", "<" + page2 + ">; rel=\"next\", <" + page2 + ">; rel=\"last\"")));
        wire.stubFor(get(urlEqualTo("/api/v3/user/teams?per_page=100&page=2")).willReturn(okJson(
                "[{\"slug\":\"ops\",\"organization\":{\"login\":\"acme\"}},"
                        + "{\"slug\":\"developers\",\"organization\":{\"login\":\"other-org\"}}]")));
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        wire.stop();
    }

    private void emails(String json) {
        wire.stubFor(get(urlEqualTo("/api/v3/user/emails")).willReturn(okJson(json)));
    }

    @Test
    void authorizationUrlAsksForTheDefaultScopesWithStateAndPkce() throws Exception {
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);

        URI url = await(provider.authorizationUrl(request));

        assertThat(url.toString()).startsWith(wire.baseUrl() + "/login/oauth/authorize?");
        assertThat(Browser.query(url))
                .containsEntry("client_id", "gh-client")
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("scope", "user:email read:org")
                .containsEntry("state", request.state())
                .containsEntry("code_challenge_method", "S256")
                .containsKey("code_challenge")
                .doesNotContainKey("nonce");
    }

    @Test
    void signsInWithVerifiedPrimaryEmailAndEveryTeamPage() throws Exception {
        emails("[{\"email\":\"old@example.com\",\"primary\":false,\"verified\":true},"
                + "{\"email\":\"octocat@github.com\",\"primary\":true,\"verified\":true}]");
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);

        SignedInUser user = await(provider.redeem("gh-code", request));

        assertThat(user.userId()).isEqualTo("583231");
        assertThat(user.name()).as("login when name is null").isEqualTo("octocat");
        assertThat(user.email()).isEqualTo("octocat@github.com");
        assertThat(user.groups()).containsExactly("developers", "acme/developers", "ops", "acme/ops",
                "other-org/developers");
        assertThat(user.claims()).containsEntry("login", "octocat").containsEntry("sub", "583231")
                .containsEntry("email_verified", true);
        assertThat(user.idToken()).isEmpty();
        assertThat(user.refreshToken()).isEmpty();
        wire.verify(postRequestedFor(urlEqualTo("/login/oauth/access_token"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(containing("code=gh-code"))
                .withRequestBody(containing("client_id=gh-client"))
                .withRequestBody(containing("client_secret=gh-secret"))
                .withRequestBody(containing("code_verifier=" + request.codeVerifier())));
        for (String path : List.of("/api/v3/user", "/api/v3/user/emails", "/api/v3/user/teams")) {
            wire.verify(getRequestedFor(urlPathEqualTo(path))
                    .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                    .withHeader("Accept", equalTo("application/vnd.github+json"))
                    .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                    .withHeader("User-Agent", containing("Portcullis")));
        }
        wire.verify(2, getRequestedFor(urlPathEqualTo("/api/v3/user/teams")));
    }

    @Test
    void unverifiedPrimaryEmailIsRejected() {
        emails("[{\"email\":\"octocat@github.com\",\"primary\":true,\"verified\":false},"
                + "{\"email\":\"verified@example.com\",\"primary\":false,\"verified\":true}]");

        IdentityProviderException failure = failureOf(provider.redeem("gh-code", AuthorizationRequest.start(REDIRECT, random)));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("no verified primary email");
    }

    @Test
    void tokenErrorAnsweredWith200IsRejected() {
        wire.stubFor(post(urlEqualTo("/login/oauth/access_token")).willReturn(okJson(
                "{\"error\":\"bad_verification_code\",\"error_description\":\"The code passed is incorrect.\"}")));

        IdentityProviderException failure = failureOf(provider.redeem("gh-code", AuthorizationRequest.start(REDIRECT, random)));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("bad_verification_code").doesNotContain("gh-code");
        wire.verify(0, getRequestedFor(urlPathEqualTo("/api/v3/user")));
    }

    @Test
    void apiOutageIsUnavailable() {
        wire.stubFor(get(urlEqualTo("/api/v3/user")).willReturn(aResponse().withStatus(502)));

        IdentityProviderException failure = failureOf(provider.redeem("gh-code", AuthorizationRequest.start(REDIRECT, random)));

        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void noRefreshNoEndSessionNoLogoutToken() throws Exception {
        IdentityProviderException refresh = failureOf(provider.refresh("anything"));
        IdentityProviderException logout = failureOf(provider.verifyLogoutToken("anything"));

        assertThat(refresh.kind()).isEqualTo(Kind.REJECTED);
        assertThat(refresh.getMessage()).contains("does not support refresh");
        assertThat(logout.kind()).isEqualTo(Kind.REJECTED);
        assertThat(await(provider.endSessionUrl(Optional.empty(), REDIRECT, Optional.empty()))).isEmpty();
        assertThat(provider.name()).isEqualTo("github");
    }

    @Test
    void apiBaseFollowsTheGitHubEnterpriseConvention() {
        assertThat(GitHubIdentityProvider.apiBase(URI.create("https://github.com")))
                .isEqualTo(URI.create("https://api.github.com"));
        assertThat(GitHubIdentityProvider.apiBase(URI.create("https://git.example.com/")))
                .isEqualTo(URI.create("https://git.example.com/api/v3"));
    }
}
