package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64Wrapped;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.ForwardAuthOptions;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forward-auth options from the file and the environment, and routes used through forward-auth only. */
class ForwardAuthOptionsTest {

    @TempDir
    Path dir;

    @Test
    void offWithoutIdentityHeadersWhenNothingIsSet() throws ConfigException {
        assertThat(load(dir, "", env()).options().forwardAuth()).isEqualTo(new ForwardAuthOptions(Optional.empty(), false));
    }

    @Test
    void fromTheFile() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                forward_auth_url: https://forwardauth.example.com
                forward_auth_identity_headers: true
                """, env());

        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(loaded.options().forwardAuth()).isEqualTo(
                new ForwardAuthOptions(Optional.of(URI.create("https://forwardauth.example.com")), true));
    }

    @Test
    void fromTheEnvironment() throws ConfigException {
        LoadedConfig loaded = load(dir, "forward_auth_url: https://ignored.example.com\n",
                env("FORWARD_AUTH_URL", "http://portcullis:80", "FORWARD_AUTH_IDENTITY_HEADERS", "true"));

        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(loaded.options().forwardAuth()).isEqualTo(
                new ForwardAuthOptions(Optional.of(URI.create("http://portcullis:80")), true));
    }

    @Test
    void aTrailingSlashAndADockerNameWithAnUnderscoreAreAccepted() throws ConfigException {
        assertThat(load(dir, "", env("FORWARD_AUTH_URL", "https://Forwardauth.example.com/")).options().forwardAuth().url())
                .contains(URI.create("https://Forwardauth.example.com/"));
        assertThat(load(dir, "", env("FORWARD_AUTH_URL", "http://my_portcullis:8080")).options().forwardAuth().url())
                .contains(URI.create("http://my_portcullis:8080"));
    }

    @Test
    void identityHeadersMayBeSwitchedOffExplicitly() throws ConfigException {
        assertThat(load(dir, "forward_auth_identity_headers: true\n", env("FORWARD_AUTH_IDENTITY_HEADERS", "false"))
                .options().forwardAuth().identityHeaders()).isFalse();
    }

    @Test
    void theTraefikGuidesShapeLoads() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                forward_auth_url: http://pomerium:443
                routes:
                  - from: https://jaeger.example.com
                    allowed_users:
                      - user@example.com
                """, env());

        // the guide's file has no identity provider (it lives in its environment): that alone is said
        assertThat(optionWarnings(loaded)).singleElement().satisfies(w -> assertThat(w)
                .startsWith("routes[0] (jaeger.example.com) lets in only people who sign in, and no identity provider"));
        assertThat(loaded.options().forwardAuth().url()).contains(URI.create("http://pomerium:443"));
        Route route = loaded.options().routes().get(0);
        assertThat(route.action()).isEqualTo(new RouteAction.ForwardAuthOnly());
        assertThat(route.name()).isEqualTo("jaeger.example.com");
        assertThat(route.access().legacy().users()).containsExactly("user@example.com");
    }

    @Test
    void routesWithoutAnActionSitBesideOrdinaryOnesAndAreNamedAfterTheirMatch() throws ConfigException {
        String routes = """
                - from: https://jaeger.example.com
                  policy: {allow: {or: [{email: {is: user@example.com}}]}}
                - from: https://jaeger.example.com
                  prefix: /api
                  allow_any_authenticated_user: true
                - from: https://jaeger.example.com
                  allow_any_authenticated_user: true
                - from: https://app.example.com
                  to: http://app:8080
                  allow_any_authenticated_user: true
                """;

        Options options = load(dir, "", env("FORWARD_AUTH_URL", "http://portcullis:80", "POLICY", base64Wrapped(routes)))
                .options();

        assertThat(options.routes()).extracting(Route::name)
                .containsExactly("jaeger.example.com", "jaeger.example.com/api", "jaeger.example.com-2", "app.example.com");
        assertThat(options.routes()).extracting(r -> (Object) r.action().getClass()).containsExactly(
                RouteAction.ForwardAuthOnly.class, RouteAction.ForwardAuthOnly.class, RouteAction.ForwardAuthOnly.class,
                RouteAction.Forward.class);
    }

    @Test
    void redirectAndResponseRoutesStillWorkWithForwardAuth() throws ConfigException {
        Options options = load(dir, """
                forward_auth_url: https://forwardauth.example.com
                routes:
                  - {from: http://a.example.com, redirect: {https_redirect: true}}
                  - {from: https://b.example.com, response: {status: 503, body: down}}
                """, env()).options();

        assertThat(options.routes()).extracting(r -> (Object) r.action().getClass())
                .containsExactly(RouteAction.Redirect.class, RouteAction.FixedResponse.class);
    }

    @Test
    void theForwardAuthHostMayShareADomainWithTheSignInHostAndTheRoutes() throws ConfigException {
        Options options = load(dir, """
                forward_auth_url: https://forwardauth.example.com
                authenticate_service_url: https://authenticate.example.com
                routes:
                  - {from: https://jaeger.example.com, allow_any_authenticated_user: true}
                  - {from: "https://*.example.com", to: http://wild, allow_any_authenticated_user: true}
                """, env()).options();

        assertThat(options.forwardAuth().url()).contains(URI.create("https://forwardauth.example.com"));
        assertThat(options.routes()).hasSize(2);
    }
}
