package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.route.RouteIdpClient;
import dev.portcullis.config.route.RoutePortal;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 6 and 22: a configuration with which nobody can sign in loads, as in Pomerium, and says
 * so in one warning (which {@code validate} prints); items 14 and 16: the routes portal's options.
 */
class SignInGapTest {
    private static final String HOSTED = "no identity provider is configured (idp_provider is not set). Pomerium would"
            + " send people to its hosted sign-in service (authenticate.pomerium.app), which Portcullis does not offer:"
            + " set idp_provider: builtin to keep the users in a file (portcullis users add EMAIL), or name your OpenID"
            + " Connect provider with idp_provider and its idp_client_id and idp_client_secret";

    @TempDir
    Path dir;

    @Test
    void routesThatNeedSignInWithoutAnIdentityProviderAreNamedWithWhatToDo() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allowed_users: [alice@example.com]
                  - from: https://public.example.com
                    to: http://public
                    allow_public_unauthenticated_access: true
                  - from: https://wiki.example.com
                    to: http://wiki
                    allow_any_authenticated_user: true
                """, env());

        assertThat(loaded.warnings()).containsExactly("routes[0] (app.example.com), routes[2] (wiki.example.com) let"
                + " in only people who sign in, and " + HOSTED);
    }

    @Test
    void publicRoutesNeedNoIdentityProvider() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://public.example.com
                    to: http://public
                    allow_public_unauthenticated_access: true
                """, env());

        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void aProviderWithoutClientIdOrSecretLoadsAndSaysWhatIsMissing() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: google
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allowed_users: [alice@example.com]
                """, env());

        assertThat(loaded.warnings()).containsExactly("idp_provider google is set, but idp_client_id (IDP_CLIENT_ID) and"
                + " idp_client_secret (IDP_CLIENT_SECRET, or IDP_CLIENT_SECRET_FILE) are missing, so nobody can sign in"
                + " until they are set");
        assertThat(SignInGap.of(loaded.options().identityProvider(), loaded.options().authenticateServiceUrl()))
                .hasValueSatisfying(gap -> assertThat(gap).contains("idp_client_id"));
    }

    @Test
    void aCompleteProviderHasNoGap() throws ConfigException {
        LoadedConfig loaded = load(dir, "", env("AUTHENTICATE_SERVICE_URL", "https://authenticate.example.com",
                "IDP_PROVIDER", "google", "IDP_CLIENT_ID", "id", "IDP_CLIENT_SECRET", "secret",
                "POLICY", TestConfig.base64("- from: https://app.example.com\n  to: http://app\n  allowed_users: [a@example.com]\n")));

        assertThat(loaded.warnings()).isEmpty();
        assertThat(SignInGap.of(loaded.options().identityProvider(), loaded.options().authenticateServiceUrl())).isEmpty();
    }

    @Test
    void descriptionAndLogoAreReadForThePortalAndOnlyImageUrlsAreKept() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                runtime_flags:
                  routes_portal: false
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_public_unauthenticated_access: true
                    name: App
                    description: "  Photos <b>and</b> films "
                    logo_url: https://cdn.example.com/app.svg
                  - from: https://other.example.com
                    to: http://other
                    allow_public_unauthenticated_access: true
                    logo_url: "javascript:alert(1)"
                """, env());

        assertThat(loaded.options().routes().get(0).portal())
                .isEqualTo(new RoutePortal(Optional.of("Photos <b>and</b> films"), Optional.of("https://cdn.example.com/app.svg")));
        assertThat(loaded.options().routes().get(1).portal()).isEqualTo(RoutePortal.NONE);
        assertThat(loaded.warnings()).containsExactly("routes[1].logo_url: \"javascript:alert(1)\" is not an https:,"
                + " http: or data:image/ URL; the routes portal shows this route without a logo");
        assertThat(loaded.options().identity().routesPortal()).isFalse();
    }

    @Test
    void aRoutesOwnOauthClientLoadsWithoutWarningAndKeepsItsSecretOutOfText() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_public_unauthenticated_access: true
                    idp_client_id: other-client
                    idp_client_secret: other-secret
                  - from: https://top.example.com
                    to: http://app
                    allow_public_unauthenticated_access: true
                """, env());

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.options().routes().get(0).idpClient())
                .isEqualTo(new RouteIdpClient(Optional.of("other-client"), Optional.of("other-secret")));
        assertThat(loaded.options().routes().get(1).idpClient()).isEqualTo(RouteIdpClient.NONE);
        assertThat(loaded.options().routes().get(0).idpClient().toString()).doesNotContain("other-secret");
    }

    @Test
    void aRoutesOwnClientThatCannotWorkIsWarnedAbout() throws ConfigException {
        LoadedConfig secretOnly = load(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: google
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_public_unauthenticated_access: true
                    idp_client_secret: other-secret
                """, env());

        assertThat(secretOnly.warnings()).contains("routes[0].idp_client_secret: the route has no idp_client_id, nor"
                + " is there a top-level one, so nobody can sign in to this route until one is set");
        assertThat(secretOnly.warnings().toString()).doesNotContain("other-secret");
    }

    @Test
    void aRoutesBlankClientIdIsRefusedNamingItsPath() {
        assertThatThrownBy(() -> load(dir, """
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_public_unauthenticated_access: true
                    idp_client_id: " "
                """, env())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].idp_client_id is empty");
    }
}
