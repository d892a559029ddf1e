package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.base64Wrapped;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.UpstreamEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where configuration comes from: the file, the environment, and which wins. */
class SourcesTest {

    /** The Synology guide's route.yaml, as its readers type it. */
    static final String SYNOLOGY_ROUTE = """
            - from: https://httpbin.int.nas.example
              to: http://httpbin
              policy:
                - allow:
                    or:
                      - email:
                          is: your.email.address@gmail.com
            """;

    /** The Azure guide's policy.yaml: the older allowed_users format. */
    static final String AZURE_POLICY = """
            # policy.yaml
            - from: https://app1.external.domain
              to: http://app1containername:8080
              allowed_users:
                - user1@azuread.domain
            - from: https://app2.external.domain
              to: http://app2containername
              allowed_users:
                - user2@azuread.domain
            """;

    @TempDir
    Path dir;

    @Test
    void fileOnly() throws ConfigException {
        Options options = load(dir, """
                address: :8443
                insecure_server: true
                cookie_secret: %s
                shared_secret: %s
                authenticate_service_url: https://authenticate.int.nas.example
                routes:
                  - from: https://httpbin.int.nas.example
                    to: http://httpbin
                    allow_public_unauthenticated_access: true
                """.formatted(TestConfig.COOKIE_SECRET, TestConfig.SHARED_SECRET), Map.of()).options();

        assertThat(options.server().address()).isEqualTo(":8443");
        assertThat(options.server().insecureServer()).isTrue();
        assertThat(options.secrets()).isEqualTo(new Options.Secrets(TestConfig.COOKIE_BYTES, TestConfig.SHARED_BYTES));
        assertThat(options.authenticateServiceUrl()).hasValueSatisfying(u -> assertThat(u).hasHost("authenticate.int.nas.example"));
        assertThat(options.routes()).singleElement().satisfies(r -> assertThat(r.access().legacy().publicAccess()).isTrue());
    }

    @Test
    void environmentOnlyAsTheSynologyGuideSetsItUp() throws ConfigException {
        Map<String, String> environment = env(
                "POLICY", base64Wrapped(SYNOLOGY_ROUTE),
                "INSECURE_SERVER", "TRUE",
                "IDP_CLIENT_SECRET", "client-secret",
                "IDP_CLIENT_ID", "client-id.apps.googleusercontent.com",
                "IDP_PROVIDER", "google",
                "AUTHENTICATE_SERVICE_URL", "https://authenticate.int.nas.example",
                "PATH", "/usr/local/bin:/usr/bin", "HOME", "/root", "HOSTNAME", "c0ffee");

        LoadedConfig loaded = new ConfigLoader(environment).load(Optional.empty());

        // the guide's own placeholder, left in as a new user might
        assertThat(optionWarnings(loaded)).containsExactly("POLICY (policy[0].policy[0].allow.or[0].email.is):"
                + " \"your.email.address@gmail.com\" is a placeholder from a guide: replace it with your own value");
        Options options = loaded.options();
        assertThat(options.server().insecureServer()).isTrue();
        Route route = options.routes().get(0);
        assertThat(options.routes()).hasSize(1);
        assertThat(route.yamlPath()).isEqualTo("policy[0]");
        assertThat(route.name()).isEqualTo("httpbin.int.nas.example");
        assertThat(route.match().scheme()).isEqualTo("https");
        assertThat(route.match().host()).isEqualTo("httpbin.int.nas.example");
        assertThat(route.match().port()).isEmpty();
        assertThat(route.action()).isEqualTo(new RouteAction.Forward(List.of(new UpstreamEndpoint("http", "httpbin", 80, "", 1))));
        assertThat(route.access().policy()).isEqualTo(List.of(Map.of("allow",
                Map.of("or", List.of(Map.of("email", Map.of("is", "your.email.address@gmail.com")))))));
    }

    @Test
    void theAzureGuidesOlderFormatLoads() throws ConfigException {
        List<Route> routes = load(dir, "", env("POLICY", base64Wrapped(AZURE_POLICY))).options().routes();

        assertThat(routes).extracting(r -> r.access().legacy().users())
                .containsExactly(List.of("user1@azuread.domain"), List.of("user2@azuread.domain"));
        assertThat(routes.get(0).action()).isEqualTo(new RouteAction.Forward(
                List.of(new UpstreamEndpoint("http", "app1containername", 8080, "", 1))));
    }

    @Test
    void policyMayBeUrlSafeUnpaddedOrPlainYaml() throws ConfigException {
        String yaml = "- from: https://a.example\n  to: http://a\n  allow_any_authenticated_user: true\n";
        String urlSafe = base64(yaml).replace('+', '-').replace('/', '_').replace("=", "");
        for (String policy : List.of(urlSafe, yaml, "  " + base64(yaml) + "\r\n")) {
            assertThat(load(dir, "", env("POLICY", policy)).options().routes()).singleElement()
                    .satisfies(r -> assertThat(r.match().host()).isEqualTo("a.example"));
        }
    }

    @Test
    void environmentWinsOverTheFile() throws ConfigException {
        Options options = load(dir, """
                address: :8443
                insecure_server: false
                timeout_read: 10s
                log_level: debug
                log_format: json
                cookie_secret: %s
                """.formatted(base64("x".repeat(32))), env(
                "ADDRESS", ":9443", "INSECURE_SERVER", "true", "LOG_LEVEL", "warn", "LOG_FORMAT", "console",
                "DEFAULT_UPSTREAM_TIMEOUT", "1m")).options();

        assertThat(options.server().address()).isEqualTo(":9443");
        assertThat(options.server().insecureServer()).isTrue();
        assertThat(options.server().timeoutRead()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.logLevel()).isEqualTo("warn");
        assertThat(options.logFormat()).isEqualTo("console");
        assertThat(options.forwarding().defaultUpstreamTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.secrets().cookieSecret()).isEqualTo(TestConfig.COOKIE_BYTES);
    }

    @Test
    void policyEntriesComeFirstThenRoutesAndTheEnvironmentReplacesTheFilesList() throws ConfigException {
        String file = """
                policy:
                  - {from: https://file-policy.example, to: http://p, allow_public_unauthenticated_access: true}
                routes:
                  - {from: https://file-route-1.example, to: http://r, allow_public_unauthenticated_access: true}
                  - {from: https://file-route-2.example, to: http://r, allow_public_unauthenticated_access: true}
                """;
        String envPolicy = "- {from: https://env-policy.example, to: http://e, allow_public_unauthenticated_access: true}";
        String envRoutes = "- {from: https://env-route.example, to: http://e, allow_public_unauthenticated_access: true}";

        assertThat(hostsAndPaths(load(dir, file, env()))).containsExactly(
                "file-policy.example policy[0]", "file-route-1.example routes[0]", "file-route-2.example routes[1]");
        assertThat(hostsAndPaths(load(dir, file, env("POLICY", base64(envPolicy))))).containsExactly(
                "env-policy.example policy[0]", "file-route-1.example routes[0]", "file-route-2.example routes[1]");
        assertThat(hostsAndPaths(load(dir, file, env("ROUTES", base64(envRoutes), "POLICY", base64(envPolicy)))))
                .containsExactly("env-policy.example policy[0]", "env-route.example routes[0]");
    }

    @Test
    void noFileAndEmptyFilesAreEmptyConfigurations() throws ConfigException {
        ConfigLoader loader = new ConfigLoader(env("INSECURE_SERVER", "1"));
        assertThat(loader.load(Optional.empty()).options().server().insecureServer()).isTrue();
        assertThat(load(dir, "", env()).options().routes()).isEmpty();
        assertThat(load(dir, "# only a comment\n", env()).options().routes()).isEmpty();
    }

    @Test
    void aConfigFileThatDoesNotExistIsAnEmptyConfigurationWithAWarningNamingIt() throws ConfigException {
        Path missing = dir.resolve("confg.yaml");
        LoadedConfig loaded = new ConfigLoader(env("INSECURE_SERVER", "1")).load(Optional.of(missing));
        assertThat(loaded.options().server().insecureServer()).isTrue();
        assertThat(loaded.watchedFiles()).contains(missing);
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith(missing + ": the --config file does not exist, so only the environment configures the proxy"));
    }

    @Test
    void listsAndMapsFromTheEnvironment() throws ConfigException {
        Options commaPairs = load(dir, "", env("SET_RESPONSE_HEADERS", "X-Frame-Options:DENY,X-Test:1; mode=x",
                "IDP_SCOPES", "openid,email", "JWT_CLAIMS_HEADERS", "email,groups")).options();
        Options flow = load(dir, "", env("HEADERS", "{X-Frame-Options: DENY, Cache-Control: \"no-cache, no-store\"}")).options();
        Options json = load(dir, "", env("SET_RESPONSE_HEADERS", "{\"X-Frame-Options\":\"DENY\"}")).options();

        assertThat(commaPairs.responseHeaders()).isEqualTo(Map.of("X-Frame-Options", "DENY", "X-Test", "1; mode=x"));
        assertThat(flow.responseHeaders()).isEqualTo(Map.of("X-Frame-Options", "DENY", "Cache-Control", "no-cache, no-store"));
        assertThat(json.responseHeaders()).isEqualTo(Map.of("X-Frame-Options", "DENY"));
    }

    @Test
    void nestedKeysFromTheEnvironmentJoinWithUnderscores() throws ConfigException {
        Path ca = TestConfig.resource("tls/a.crt");
        LoadedConfig loaded = load(dir, "downstream_mtls:\n  enforcement: policy\n",
                env("DOWNSTREAM_MTLS_CA", base64(TestConfig.read(ca)), "DOWNSTREAM_MTLS_MAX_VERIFY_DEPTH", "2",
                        "RUNTIME_FLAGS_POMERIUM_JWT_ENDPOINT", "true"));
        assertThat(optionWarnings(loaded)).isEmpty();
    }

    private static List<String> hostsAndPaths(LoadedConfig loaded) {
        return loaded.options().routes().stream().map(r -> r.match().host() + " " + r.yamlPath()).toList();
    }
}
