package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.IdentityProviderOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idp_provider: builtin}: users from {@code builtin_users_file}, no OAuth client. */
class BuiltinProviderOptionsTest {

    @TempDir
    Path dir;

    Path users;

    @BeforeEach
    void usersFile() {
        // the content is the proxy's business; the configuration only needs the file to exist
        users = TestConfig.write(dir.resolve("users.yaml"), "users: []\n");
    }

    @Test
    void theBuiltinProviderNeedsOnlyTheUsersFileAndTheAuthenticateUrl() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                authenticate_service_url: http://auth.localhost:8080
                idp_provider: Builtin
                builtin_users_file: %s
                """.formatted(users), env());

        assertThat(optionWarnings(loaded)).isEmpty();
        Options options = loaded.options();
        assertThat(options.identityProvider()).isEqualTo(new IdentityProviderOptions(Optional.of("builtin"),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Map.of(),
                Optional.of(users.toAbsolutePath().normalize())));
        assertThat(options.identityProvider().isBuiltin()).isTrue();
        assertThat(options.authenticateServiceUrl()).contains(URI.create("http://auth.localhost:8080"));
    }

    @Test
    void theEnvironmentAloneIsEnough() throws ConfigException {
        LoadedConfig loaded = load(dir, "", env("IDP_PROVIDER", "builtin", "BUILTIN_USERS_FILE", users.toString(),
                "AUTHENTICATE_SERVICE_URL", "https://authenticate.example.com"));

        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(loaded.options().identityProvider().builtinUsersFile()).contains(users.toAbsolutePath().normalize());
    }

    @Test
    void withoutTheUsersFileOrAuthenticateUrlEachIsAProblem() {
        assertThat(problems(dir, "idp_provider: builtin\n", env())).containsExactly(
                "authenticate_service_url is required with idp_provider builtin: the public URL of the sign-in host, where"
                        + " the sign-in page is served, e.g. https://authenticate.example.com (set it as"
                        + " AUTHENTICATE_SERVICE_URL)",
                "builtin_users_file is required with idp_provider builtin: the YAML file of the users who may sign in,"
                        + " made with \"portcullis users add EMAIL --users-file FILE\" (set it as BUILTIN_USERS_FILE)");
    }

    @Test
    void aUsersFileThatDoesNotExistIsAProblemNamingKeyAndPath() {
        Path missing = dir.resolve("nobody.yaml");
        assertThat(problems(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: builtin
                builtin_users_file: %s
                """.formatted(missing), env())).containsExactly(
                "builtin_users_file: \"" + missing + "\": no such file (make it with \"portcullis users add EMAIL"
                        + " --users-file " + missing + "\")");
    }

    @Test
    void aDirectoryIsNoUsersFile() {
        assertThat(problems(dir, "", env("IDP_PROVIDER", "builtin", "BUILTIN_USERS_FILE", dir.toString(),
                "AUTHENTICATE_SERVICE_URL", "https://authenticate.example.com"))).containsExactly(
                "BUILTIN_USERS_FILE (builtin_users_file): \"" + dir + "\" is a directory, expected a file");
    }

    @Test
    void oauthClientOptionsAreIgnoredWithAWarning() throws ConfigException {
        Path secret = TestConfig.write(dir.resolve("secret"), "s\n");
        LoadedConfig loaded = load(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: builtin
                builtin_users_file: %s
                idp_provider_url: https://issuer.example.com
                idp_client_id: id
                idp_scopes: [openid]
                """.formatted(users), env("IDP_CLIENT_SECRET_FILE", secret.toString()));

        assertThat(optionWarnings(loaded)).containsExactlyInAnyOrder(
                "idp_provider_url: is not used with idp_provider builtin (the built-in provider is no OAuth client); it is"
                        + " ignored",
                "idp_client_id: is not used with idp_provider builtin (the built-in provider is no OAuth client); it is"
                        + " ignored",
                "IDP_CLIENT_SECRET_FILE (idp_client_secret_file): is not used with idp_provider builtin (the built-in"
                        + " provider is no OAuth client); it is ignored",
                "idp_scopes: is not used with idp_provider builtin (the built-in provider is no OAuth client); it is"
                        + " ignored");
        IdentityProviderOptions provider = loaded.options().identityProvider();
        assertThat(provider.clientId()).isEmpty();
        assertThat(provider.clientSecret()).isEmpty();
        assertThat(provider.providerUrl()).isEmpty();
        assertThat(provider.scopes()).isEmpty();
    }

    @Test
    void aRoutesOwnOauthClientIsIgnoredWithAWarning() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: builtin
                builtin_users_file: %s
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_any_authenticated_user: true
                    idp_client_id: team
                    idp_client_secret: team-secret
                """.formatted(users), env());

        assertThat(loaded.warnings()).containsExactly("routes[0].idp_client_id: is not used with idp_provider builtin"
                + " (the built-in provider is no OAuth client); it is ignored");
    }

    @Test
    void aUsersFileWithAnotherProviderHasNoEffectAndSaysSo() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                authenticate_service_url: https://authenticate.example.com
                idp_provider: google
                idp_client_id: id
                idp_client_secret: s
                builtin_users_file: %s
                """.formatted(users), env());

        assertThat(optionWarnings(loaded)).containsExactly(
                "builtin_users_file: is used only with idp_provider builtin; it has no effect");
        assertThat(loaded.options().identityProvider().builtinUsersFile()).isEmpty();
    }

    @Test
    void theUsersFileIsNotReadByTheConfiguration() throws Exception {
        Files.writeString(users, "this: is [not the users format\n");
        assertThat(load(dir, "", env("IDP_PROVIDER", "builtin", "BUILTIN_USERS_FILE", users.toString(),
                "AUTHENTICATE_SERVICE_URL", "https://authenticate.example.com")).options().identityProvider().isBuiltin())
                .isTrue();
    }
}
