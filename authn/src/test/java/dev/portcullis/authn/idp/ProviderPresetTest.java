package dev.portcullis.authn.idp;

import static dev.portcullis.authn.idp.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each preset's defaults are Pomerium's (pkg/identity/oidc/&lt;provider&gt; and pkg/identity/oauth/github at the
 * mirrored revision), and reach the provider in the authorization request.
 */
class ProviderPresetTest {

    private static MockOAuth2Server server;

    @BeforeAll
    static void start() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    private static Map<String, String> params(String written) {
        return written == null ? Map.of() : Arrays.stream(written.split(";"))
                .map(pair -> pair.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // preset | Pomerium's default URL                      | default scopes                               | default parameters
        "oidc     | -                                           | openid profile email offline_access          | -",
        "google   | https://accounts.google.com                 | openid profile email                         | prompt=select_account consent;access_type=offline",
        "azure    | https://login.microsoftonline.com/common/v2.0 | openid profile email offline_access        | prompt=select_account",
        "gitlab   | https://gitlab.com                          | openid profile email                         | -",
        "okta     | -                                           | openid profile email offline_access          | -",
        "auth0    | -                                           | openid profile email offline_access          | -",
        "cognito  | -                                           | openid email profile                         | -",
        "onelogin | https://openid-connect.onelogin.com/oidc    | openid profile email groups offline_access   | -",
        "ping     | -                                           | openid profile email offline_access          | -",
        "github   | https://github.com                          | user:email read:org                          | -"})
    void defaultsArePomeriumsOwn(String name, String url, String scopes, String parameters) {
        ProviderPreset preset = ProviderPreset.named(name);

        assertThat(preset.defaultUrl().map(URI::toString)).isEqualTo(Optional.ofNullable(url));
        URI where = preset.defaultUrl().orElse(URI.create("https://issuer.example"));
        assertThat(String.join(" ", preset.scopesFor(where))).isEqualTo(scopes);
        assertThat(preset.requestParams()).isEqualTo(params(parameters));
    }

    @Test
    void oneLoginsSecondApiIsNotAskedForOfflineAccess() {
        assertThat(ProviderPreset.ONELOGIN.scopesFor(URI.create("https://acme.onelogin.com/oidc/2")))
                .containsExactly("openid", "profile", "email", "groups");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "google   | openid profile email                | prompt=select_account consent;access_type=offline",
        "azure    | openid profile email offline_access | prompt=select_account",
        "cognito  | openid email profile                | -",
        "onelogin | openid profile email groups offline_access | -"})
    void theDefaultsReachTheProvider(String name, String scopes, String parameters) throws Exception {
        IdentityProvider provider = IdentityProviders.create(new ProviderSettings(name,
                Optional.of(server.issuerUrl(name).uri()), "client", "secret", List.of(), Map.of()), Runnable::run,
                Clock.systemUTC());

        Map<String, String> query = Browser.query(await(provider.authorizationUrl(
                AuthorizationRequest.start(URI.create("https://auth.example.com/cb"), new SecureRandom()))));

        assertThat(query).containsEntry("scope", scopes);
        params("-".equals(parameters) ? null : parameters).forEach((k, v) -> assertThat(query).containsEntry(k, v));
        if ("-".equals(parameters)) {
            assertThat(query).doesNotContainKeys("prompt", "access_type");
        }
    }
}
