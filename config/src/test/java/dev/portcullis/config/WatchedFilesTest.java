package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.read;
import static dev.portcullis.config.TestConfig.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LoadedConfig#watchedFiles()}: every file a load read, for the watcher that reloads on change. */
class WatchedFilesTest {

    static final Path A_CRT = CertificatesAndSecretsTest.A_CRT;
    static final Path A_KEY = CertificatesAndSecretsTest.A_KEY;
    static final Path B_CRT = CertificatesAndSecretsTest.B_CRT;
    static final Path B_KEY = CertificatesAndSecretsTest.B_KEY;

    @TempDir
    Path dir;

    @Test
    void theConfigFileComesFirstThenEveryFileInTheOrderReadEachOnce() throws ConfigException {
        Path cookie = write(dir.resolve("cookie"), TestConfig.COOKIE_SECRET);
        Path signingKey = write(dir.resolve("signing.pem"), read(A_KEY));
        LoadedConfig loaded = load(dir, """
                certificate_file: %s
                certificate_key_file: %s
                certificates:
                  - {cert: %s, key: %s}
                  - {cert: %s, key: %s}
                signing_key_file: %s
                """.formatted(A_CRT, A_KEY, B_CRT, B_KEY, A_CRT, A_KEY, signingKey),
                Map.of("COOKIE_SECRET_FILE", cookie.toString(), "SHARED_SECRET", TestConfig.SHARED_SECRET));

        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"), A_CRT, A_KEY, B_CRT, B_KEY,
                cookie, signingKey);
    }

    @Test
    void inlineMaterialReadsNoFileAndAPemGivenByPathIsAFile() throws ConfigException {
        LoadedConfig loaded = load(dir, "", env("CERTIFICATE", base64(read(A_CRT)), "CERTIFICATE_KEY", A_KEY.toString()));

        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"), A_KEY);
    }

    @Test
    void withoutAConfigFileOnlyTheMaterialIsListed() throws ConfigException {
        LoadedConfig loaded = new ConfigLoader(env("CERTIFICATE_FILE", A_CRT.toString(),
                "CERTIFICATE_KEY_FILE", A_KEY.toString())).load(Optional.empty());

        assertThat(loaded.watchedFiles()).containsExactly(A_CRT, A_KEY);
    }

    @Test
    void anAbsentConfigFileIsListedSoThatItsAppearanceIsNoticed() throws ConfigException {
        Path absent = dir.resolve("absent.yaml");

        assertThat(new ConfigLoader(env()).load(Optional.of(absent)).watchedFiles()).containsExactly(absent);
    }

    @Test
    void pathsAreMadeAbsoluteButSymbolicLinksAreNotFollowed() throws ConfigException, IOException {
        Path live = Files.createDirectories(dir.resolve("live"));
        Path certLink = Files.createSymbolicLink(live.resolve("fullchain.pem"), A_CRT);
        Path keyLink = Files.createSymbolicLink(live.resolve("privkey.pem"), A_KEY);
        Path relative = Path.of("").toAbsolutePath().relativize(keyLink);

        LoadedConfig loaded = load(dir, "certificate_file: %s\ncertificate_key_file: %s\n".formatted(certLink, relative),
                env());

        // as written, made absolute: neither resolved through the links nor normalised (".." stays)
        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"), certLink,
                relative.toAbsolutePath());
        assertThat(loaded.watchedFiles()).allMatch(Path::isAbsolute);
    }

    @Test
    void aFailedLoadStillNamesTheFilesItTriedMissingOnesIncluded() {
        Path missingKey = dir.resolve("not-yet/privkey.pem");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(dir,
                "certificate_file: %s\ncertificate_key_file: %s\n".formatted(A_CRT, missingKey), env()));

        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .containsExactly("certificate_key_file: \"" + missingKey + "\": no such file");
        assertThat(e.watchedFiles()).containsExactly(dir.resolve("config.yaml"), A_CRT, missingKey);
    }

    @Test
    void theBuiltinUsersFileIsWatchedByTheProxyNotListedHere() throws ConfigException {
        Path users = write(dir.resolve("users.yaml"), "users: []\n");
        LoadedConfig loaded = load(dir, """
                authenticate_service_url: http://auth.localhost:8080
                idp_provider: builtin
                builtin_users_file: %s
                """.formatted(users), env());

        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"));
    }
}
