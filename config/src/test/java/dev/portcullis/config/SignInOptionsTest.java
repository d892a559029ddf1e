package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.base64Wrapped;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.read;
import static dev.portcullis.config.TestConfig.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.CookieOptions;
import dev.portcullis.config.Options.IdentityOptions;
import dev.portcullis.config.Options.IdentityProviderOptions;
import dev.portcullis.config.route.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign-in options (identity provider, cookies, identity headers) from the file and the environment. */
class SignInOptionsTest {

    static final Path KEY = resource("tls/a.key");
    static final String CLIENT_SECRET = "GOCSPX-very-secret-value";

    @TempDir
    Path dir;

    @Test
    void defaultsWhenNothingIsSet() throws ConfigException {
        Options options = load(dir, "routes: [{from: https://a.example, to: http://a, allow_any_authenticated_user: true}]\n",
                env()).options();

        assertThat(options.identityProvider()).isEqualTo(IdentityProviderOptions.none());
        assertThat(options.cookies()).isEqualTo(
                new CookieOptions("_pomerium", Optional.empty(), Duration.ofHours(14), true, true, "lax"));
        assertThat(options.identity()).isEqualTo(new IdentityOptions(Optional.empty(), Map.of(), true, List.of("localhost"),
                Optional.empty(), false, false, dev.portcullis.config.route.JwtIssuerFormat.HOST_ONLY));
        assertThat(options.routes()).singleElement().satisfies(r -> assertThat(r.passIdentityHeaders()).isTrue());
    }

    @Test
    void everyOptionFromTheFile() throws ConfigException {
        Options options = load(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: Azure
                idp_provider_url: https://login.microsoftonline.com/tenant/v2.0
                idp_client_id: client-id
                idp_client_secret: %s
                idp_scopes: [openid, email, profile, email]
                idp_request_params: {prompt: select_account, domain_hint: example.com}
                cookie_name: _portcullis
                cookie_domain: .Example.COM
                cookie_expire: 8h30m
                cookie_secure: true
                cookie_http_only: false
                cookie_same_site: Strict
                signing_key: %s
                jwt_claims_headers: {X-Email: email, X-Groups: groups, X-Name: name}
                pass_identity_headers: false
                programmatic_redirect_domain_whitelist: [localhost, App.Example.com]
                signout_redirect_url: https://example.com/signed-out
                runtime_flags:
                  pomerium_jwt_endpoint: true
                  allow_any_sign_out_redirect_uri: yes
                """.formatted(CLIENT_SECRET, base64(read(KEY))), env()).options();

        assertThat(options.identityProvider()).isEqualTo(new IdentityProviderOptions(Optional.of("azure"),
                Optional.of(URI.create("https://login.microsoftonline.com/tenant/v2.0")), Optional.of("client-id"),
                Optional.of(CLIENT_SECRET), List.of("openid", "email", "profile"),
                Map.of("prompt", "select_account", "domain_hint", "example.com"), Optional.empty()));
        assertThat(options.identityProvider().requestParams()).containsExactly(
                Map.entry("prompt", "select_account"), Map.entry("domain_hint", "example.com"));
        assertThat(options.cookies()).isEqualTo(new CookieOptions("_portcullis", Optional.of("example.com"),
                Duration.ofHours(8).plusMinutes(30), true, false, "strict"));
        IdentityOptions identity = options.identity();
        assertThat(identity.signingKeyPem()).contains(read(KEY));
        assertThat(identity.jwtClaimsHeaders()).containsExactly(
                Map.entry("X-Email", "email"), Map.entry("X-Groups", "groups"), Map.entry("X-Name", "name"));
        assertThat(identity.passIdentityHeaders()).isFalse();
        assertThat(identity.programmaticRedirectDomains()).containsExactly("localhost", "app.example.com");
        assertThat(identity.signoutRedirectUrl()).contains(URI.create("https://example.com/signed-out"));
        assertThat(identity.jwtEndpoint()).isTrue();
        assertThat(identity.allowAnySignOutRedirect()).isTrue();
    }

    @Test
    void theRoutesPortalIsOnUnlessEitherSpellingTurnsItOff() throws ConfigException {
        String routes = "routes: [{from: https://a.example, to: http://a, allow_public_unauthenticated_access: true}]\n";
        assertThat(load(dir, routes, env()).options().identity().routesPortal()).isTrue();
        assertThat(load(dir, routes + "routes_portal: false\n", env()).options().identity().routesPortal()).isFalse();
        assertThat(load(dir, routes + "runtime_flags:\n  routes_portal: false\n", env()).options().identity()
                .routesPortal()).isFalse();
        assertThat(load(dir, routes, env("ROUTES_PORTAL", "false")).options().identity().routesPortal()).isFalse();
    }

    @Test
    void everyOptionFromTheEnvironment() throws ConfigException {
        Path secretFile = TestConfig.write(dir.resolve("idp_client_secret"), "  " + CLIENT_SECRET + "\n");
        LoadedConfig loaded = load(dir, "", env(
                "AUTHENTICATE_SERVICE_URL", "https://authenticate.example.com",
                "IDP_PROVIDER", "okta",
                "IDP_PROVIDER_URL", "https://example.okta.com/oauth2/default",
                "IDP_CLIENT_ID", "client-id",
                "IDP_CLIENT_SECRET_FILE", secretFile.toString(),
                "IDP_SCOPES", "openid,email offline_access",
                "IDP_REQUEST_PARAMS", "prompt=login,max_age=300",
                "COOKIE_NAME", "session",
                "COOKIE_DOMAIN", "example.com",
                "COOKIE_EXPIRE", "1h",
                "COOKIE_SECURE", "TRUE",
                "COOKIE_HTTP_ONLY", "False",
                "COOKIE_SAME_SITE", "NONE",
                "SIGNING_KEY_FILE", KEY.toString(),
                "JWT_CLAIMS_HEADERS", "email,groups",
                "PASS_IDENTITY_HEADERS", "false",
                "PROGRAMMATIC_REDIRECT_DOMAIN_WHITELIST", "localhost,cli.example.com",
                "SIGNOUT_REDIRECT_URL", "https://example.com/bye",
                "RUNTIME_FLAGS_POMERIUM_JWT_ENDPOINT", "true",
                "RUNTIME_FLAGS_ALLOW_ANY_SIGN_OUT_REDIRECT_URI", "1"));

        assertThat(optionWarnings(loaded)).isEmpty();
        Options options = loaded.options();
        assertThat(options.identityProvider()).isEqualTo(new IdentityProviderOptions(Optional.of("okta"),
                Optional.of(URI.create("https://example.okta.com/oauth2/default")), Optional.of("client-id"),
                Optional.of(CLIENT_SECRET), List.of("openid", "email", "offline_access"),
                Map.of("prompt", "login", "max_age", "300"), Optional.empty()));
        assertThat(options.cookies()).isEqualTo(
                new CookieOptions("session", Optional.of("example.com"), Duration.ofHours(1), true, false, "none"));
        assertThat(options.identity()).isEqualTo(new IdentityOptions(Optional.of(read(KEY)),
                Map.of("X-Pomerium-Claim-email", "email", "X-Pomerium-Claim-groups", "groups"), false,
                List.of("localhost", "cli.example.com"), Optional.of(URI.create("https://example.com/bye")), true, true,
                dev.portcullis.config.route.JwtIssuerFormat.HOST_ONLY));
    }

    @Test
    void theSynologyGuidesEnvironmentOnlySetupLoads() throws ConfigException {
        Map<String, String> environment = Map.of(
                "IDP_PROVIDER", "google",
                "IDP_CLIENT_ID", "123-abc.apps.googleusercontent.com",
                "IDP_CLIENT_SECRET", CLIENT_SECRET,
                "AUTHENTICATE_SERVICE_URL", "https://authenticate.int.nas.example",
                "COOKIE_SECRET", TestConfig.COOKIE_SECRET,
                "SHARED_SECRET", TestConfig.SHARED_SECRET,
                "POLICY", base64Wrapped(SourcesTest.SYNOLOGY_ROUTE));

        LoadedConfig loaded = new ConfigLoader(environment).load(Optional.empty());

        assertThat(optionWarnings(loaded)).singleElement().asString().contains("your.email.address@gmail.com");
        Options options = loaded.options();
        assertThat(options.identityProvider()).isEqualTo(new IdentityProviderOptions(Optional.of("google"), Optional.empty(),
                Optional.of("123-abc.apps.googleusercontent.com"), Optional.of(CLIENT_SECRET), List.of(), Map.of(),
                Optional.empty()));
        assertThat(options.authenticateServiceUrl()).contains(URI.create("https://authenticate.int.nas.example"));
        assertThat(options.routes()).singleElement().satisfies(r -> assertThat(r.passIdentityHeaders()).isTrue());
    }

    @Test
    void providersWithAFixedIssuerNeedNoProviderUrl() throws ConfigException {
        for (String provider : List.of("google", "github", "gitlab")) {
            Options options = load(dir, "", env("IDP_PROVIDER", provider, "IDP_CLIENT_ID", "id", "IDP_CLIENT_SECRET", "s",
                    "AUTHENTICATE_SERVICE_URL", "https://auth.example")).options();
            assertThat(options.identityProvider().provider()).as(provider).contains(provider);
            assertThat(options.identityProvider().providerUrl()).as(provider).isEmpty();
        }
    }

    @Test
    void routesTakeTheGlobalPassIdentityHeadersUnlessTheySetTheirOwn() throws ConfigException {
        String routes = """
                routes:
                  - {from: https://a.example, to: http://a, allow_any_authenticated_user: true}
                  - {from: https://b.example, to: http://b, allow_any_authenticated_user: true, pass_identity_headers: false}
                  - {from: https://c.example, to: http://c, allow_any_authenticated_user: true, pass_identity_headers: true}
                """;

        assertThat(load(dir, routes, env()).options().routes()).extracting(Route::passIdentityHeaders)
                .containsExactly(true, false, true);
        assertThat(load(dir, routes, env("PASS_IDENTITY_HEADERS", "false")).options().routes())
                .extracting(Route::passIdentityHeaders).containsExactly(false, false, true);
        assertThat(load(dir, "pass_identity_headers: false\n" + routes, env()).options().routes())
                .extracting(Route::passIdentityHeaders).containsExactly(false, false, true);
    }

    @Test
    void claimHeadersMayBeAListAMapOrText() throws ConfigException {
        assertThat(load(dir, "jwt_claims_headers: [email, groups, family_name]\n", env()).options().identity()
                .jwtClaimsHeaders()).containsExactly(Map.entry("X-Pomerium-Claim-email", "email"),
                Map.entry("X-Pomerium-Claim-groups", "groups"), Map.entry("X-Pomerium-Claim-family_name", "family_name"));
        assertThat(load(dir, "jwt_claims_headers: email\n", env()).options().identity().jwtClaimsHeaders())
                .containsExactly(Map.entry("X-Pomerium-Claim-email", "email"));
        assertThat(load(dir, "", env("JWT_CLAIMS_HEADERS", "X-Email:email,X-User=user")).options().identity()
                .jwtClaimsHeaders()).containsExactly(Map.entry("X-Email", "email"), Map.entry("X-User", "user"));
        assertThat(load(dir, "", env("JWT_CLAIMS_HEADERS", "{\"X-Email\": \"email\"}")).options().identity()
                .jwtClaimsHeaders()).containsExactly(Map.entry("X-Email", "email"));
    }

    @Test
    void requestParamsFromTheEnvironmentMayBeJson() throws ConfigException {
        assertThat(load(dir, "", env("IDP_REQUEST_PARAMS", "{\"prompt\": \"consent\", \"access_type\": \"offline\"}"))
                .options().identityProvider().requestParams())
                .containsExactly(Map.entry("prompt", "consent"), Map.entry("access_type", "offline"));
    }

    @Test
    void scopesMayBeSeparatedBySpacesAsOAuthWritesThem() throws ConfigException {
        assertThat(load(dir, "idp_scopes: openid email profile\n", env()).options().identityProvider().scopes())
                .containsExactly("openid", "email", "profile");
    }

    @Test
    void signingKeyMayBePemTextOrAPathToo() throws ConfigException {
        assertThat(load(dir, "", env("SIGNING_KEY", read(KEY))).options().identity().signingKeyPem()).contains(read(KEY));
        assertThat(load(dir, "signing_key_file: " + KEY + "\n", env()).options().identity().signingKeyPem())
                .contains(read(KEY));
    }

    @Test
    void anEmptyWhitelistAllowsNoProgrammaticRedirect() throws ConfigException {
        assertThat(load(dir, "programmatic_redirect_domain_whitelist: []\n", env()).options().identity()
                .programmaticRedirectDomains()).isEmpty();
    }

    @Test
    void printedOptionsNeverShowTheClientSecretOrTheSigningKey() throws ConfigException {
        Options options = load(dir, "", env("IDP_PROVIDER", "google", "IDP_CLIENT_ID", "id", "IDP_CLIENT_SECRET", CLIENT_SECRET,
                "AUTHENTICATE_SERVICE_URL", "https://auth.example", "SIGNING_KEY", base64(read(KEY)))).options();
        String keyBody = read(KEY).lines().skip(1).findFirst().orElseThrow();

        assertThat(options.toString()).doesNotContain(CLIENT_SECRET).doesNotContain(keyBody).contains("clientSecret=hidden");
        assertThat(options.identityProvider().toString()).doesNotContain(CLIENT_SECRET);
        assertThat(options.identity().toString()).doesNotContain(keyBody).contains("signingKeyPem=hidden");
        assertThat(options.identityProvider().clientSecret()).contains(CLIENT_SECRET);
    }
}
