package dev.portcullis.authn.idp;

import static dev.portcullis.authn.idp.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;

/** Presets and settings: what {@link IdentityProviders#create} accepts and what it asks a provider for. */
class IdentityProvidersTest {

    private static final Executor NEVER_RUNS = task -> {
        throw new AssertionError("no network at creation");
    };

    private static ProviderSettings settings(String provider, Optional<URI> url, List<String> scopes,
            Map<String, String> params) {
        return new ProviderSettings(provider, url, "client", "very-secret-value", scopes, params);
    }

    @Test
    void theHostCalledIsTheProviderUrlsOrThePresetsDefault() {
        assertThat(IdentityProviders.hostOf(new ProviderSettings("google", Optional.empty(), "id", "secret", List.of(),
                Map.of()))).contains("accounts.google.com");
        assertThat(IdentityProviders.hostOf(new ProviderSettings("oidc", Optional.of(URI.create("https://id.example/realms/x")),
                "id", "secret", List.of(), Map.of()))).contains("id.example");
        assertThat(IdentityProviders.hostOf(new ProviderSettings("oidc", Optional.empty(), "id", "secret", List.of(),
                Map.of()))).isEmpty();
    }

    @Test
    void unknownProviderNamesTheValidOnes() {
        assertThatThrownBy(() -> IdentityProviders.create(settings("keycloak", Optional.empty(), List.of(), Map.of()),
                NEVER_RUNS, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keycloak")
                .hasMessageContaining("oidc, google, azure, gitlab, okta, auth0, cognito, onelogin, ping, github");
    }

    @Test
    void presetsWithoutADefaultUrlNeedOne() {
        for (String provider : List.of("oidc", "okta", "auth0", "cognito", "ping")) {
            assertThatThrownBy(() -> IdentityProviders.create(settings(provider, Optional.empty(), List.of(), Map.of()),
                    NEVER_RUNS, Clock.systemUTC()))
                    .as(provider)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("idp_provider_url")
                    .hasMessageContaining(provider);
        }
        for (String provider : List.of("google", "azure", "gitlab", "onelogin", "github")) {
            assertThat(IdentityProviders.create(settings(provider, Optional.empty(), List.of(), Map.of()), NEVER_RUNS,
                    Clock.systemUTC()).name()).isEqualTo(provider);
        }
    }

    @Test
    void relativeUrlIsRefused() {
        assertThatThrownBy(() -> IdentityProviders.create(settings("oidc", Optional.of(URI.create("/issuer")),
                List.of(), Map.of()), NEVER_RUNS, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute http(s) URL");
    }

    @Test
    void settingsHideTheClientSecret() {
        assertThat(settings("oidc", Optional.empty(), List.of(), Map.of()).toString())
                .doesNotContain("very-secret-value").contains("client");
    }

    @Test
    void configuredScopesAndParametersOverrideThePresetAndOpenidIsKept() throws Exception {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start();
        try {
            URI issuer = server.issuerUrl("google-like").uri();
            IdentityProvider preset = IdentityProviders.create(settings("google", Optional.of(issuer), List.of(),
                    Map.of()), Runnable::run, Clock.systemUTC());
            IdentityProvider custom = IdentityProviders.create(settings("google", Optional.of(issuer),
                    List.of("email", "https://www.googleapis.com/auth/admin.directory.group.readonly"),
                    Map.of("access_type", "online", "hd", "example.com")), Runnable::run, Clock.systemUTC());
            AuthorizationRequest request = AuthorizationRequest.start(URI.create("https://auth.example.com/cb"),
                    new SecureRandom());

            Map<String, String> presetQuery = Browser.query(await(preset.authorizationUrl(request)));
            Map<String, String> customQuery = Browser.query(await(custom.authorizationUrl(request)));

            assertThat(presetQuery).containsEntry("scope", "openid profile email")
                    .containsEntry("access_type", "offline");
            assertThat(customQuery)
                    .containsEntry("scope", "openid email https://www.googleapis.com/auth/admin.directory.group.readonly")
                    .containsEntry("access_type", "online")
                    .containsEntry("hd", "example.com");
        } finally {
            server.shutdown();
        }
    }
}
