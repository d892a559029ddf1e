package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cookie_secret} and {@code shared_secret} not set: generated once and kept in the data directory
 * ({@code secrets.yaml}, mode 0600) by a loader that may write ({@code serve}); read again at the next load;
 * only announced by one that may not ({@code validate}).
 */
class GeneratedSecretsTest {

    @TempDir
    Path dir;

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    private static LoadedConfig serve(Map<String, String> env) throws ConfigException {
        return new ConfigLoader(env).keepingGeneratedSecrets().load(Optional.empty());
    }

    private static List<String> secretWarnings(LoadedConfig loaded) {
        return loaded.warnings().stream().filter(w -> w.contains("secret")).toList();
    }

    @Test
    void theFirstStartGeneratesThemIntoAPrivateFileAndTheNextReadsTheSameOnes() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> env = env("DATA_DIR", data.toString());

        LoadedConfig first = serve(env);
        Path file = data.resolve("secrets.yaml");

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(first.options().secrets().cookieSecret()).hasSize(32);
        assertThat(first.options().secrets().sharedSecret()).hasSize(32)
                .isNotEqualTo(first.options().secrets().cookieSecret());
        assertThat(secretWarnings(first)).containsExactly("cookie_secret and shared_secret are not set: generated new"
                + " ones and kept them in " + file + " (mode 0600), so that sessions survive a restart; to set them"
                + " yourself, copy them from that file into COOKIE_SECRET (or COOKIE_SECRET_FILE naming a file that"
                + " holds it) and SHARED_SECRET (or SHARED_SECRET_FILE naming a file that holds it)");
        String cookie = Base64.getEncoder().encodeToString(first.options().secrets().cookieSecret());
        assertThat(Files.readString(file)).contains("cookie_secret: " + cookie);
        assertThat(String.join("\n", first.warnings())).doesNotContain(cookie);
        assertThat(Files.list(data)).as("no temporary file left behind").containsExactly(file);

        LoadedConfig second = serve(env);

        assertThat(second.options().secrets().cookieSecret()).isEqualTo(first.options().secrets().cookieSecret());
        assertThat(second.options().secrets().sharedSecret()).isEqualTo(first.options().secrets().sharedSecret());
        assertThat(secretWarnings(second)).singleElement().asString()
                .startsWith("cookie_secret and shared_secret are not set: using the generated ones kept in " + file);
    }

    @Test
    void aFileOthersCanReadIsWarnedAbout() throws Exception {
        serve(env("DATA_DIR", dir.toString()));
        Path file = dir.resolve("secrets.yaml");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(serve(env("DATA_DIR", dir.toString())).warnings()).contains(file + " can be read by others than its"
                + " owner, and anyone who reads it can forge sessions: chmod 600 " + file);
    }

    @Test
    void aSecretThatIsSetIsUsedAndOnlyTheOtherComesFromTheFile() throws Exception {
        Map<String, String> env = env("DATA_DIR", dir.toString(), "SHARED_SECRET", TestConfig.SHARED_SECRET);

        LoadedConfig loaded = serve(env);

        assertThat(loaded.options().secrets().sharedSecret()).isEqualTo(TestConfig.SHARED_BYTES);
        assertThat(secretWarnings(loaded)).singleElement().asString().startsWith("cookie_secret is not set: generated"
                + " new ones and kept them in " + dir.resolve("secrets.yaml"));
    }

    @Test
    void validateWritesNothingAndSaysWhereTheyWouldBeKept() throws Exception {
        Path data = dir.resolve("state");

        LoadedConfig loaded = new ConfigLoader(env("HOME", dir.toString())).load(Optional.empty());

        Path file = dir.resolve(".local/state/portcullis/secrets.yaml");
        assertThat(secretWarnings(loaded)).containsExactly("cookie_secret and shared_secret are not set: at start, new"
                + " ones would be generated and kept in " + file + " (mode 0600), so that sessions survive a restart;"
                + " to set them yourself, copy them from that file into COOKIE_SECRET (or COOKIE_SECRET_FILE naming a"
                + " file that holds it) and SHARED_SECRET (or SHARED_SECRET_FILE naming a file that holds it)");
        assertThat(Files.list(dir)).isEmpty();
        assertThat(data).doesNotExist();
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsRefusedSayingHowToFixIt() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        Map<String, String> env = env("DATA_DIR", notADirectory.resolve("data").toString());

        for (ConfigLoader loader : List.of(new ConfigLoader(env), new ConfigLoader(env).keepingGeneratedSecrets())) {
            try {
                loader.load(Optional.empty());
                throw new AssertionError("loaded");
            } catch (ConfigException e) {
                assertThat(e.problems()).singleElement().asString()
                        .startsWith("cookie_secret is not set, and the file that keeps generated secrets, "
                                + notADirectory.resolve("data/secrets.yaml") + ", ")
                        .contains("set DATA_DIR to a directory that is")
                        .contains("set COOKIE_SECRET (or COOKIE_SECRET_FILE naming a file that holds it) and SHARED_SECRET")
                        .contains("portcullis gen-secret");
            }
        }
    }

    @Test
    void aDamagedFileIsRefusedNotReplaced() throws Exception {
        Path file = Files.writeString(dir.resolve("secrets.yaml"), "cookie_secret: short\n");

        assertThat(TestConfig.problems(dir, "", env("DATA_DIR", dir.toString()))).singleElement().asString()
                .contains(file + ", holds no valid cookie_secret (expected 32 bytes in base64); delete it to generate new"
                        + " secrets (everyone is signed out)");
        assertThat(Files.readString(file)).isEqualTo("cookie_secret: short\n");
    }

    @Test
    void replicasSharingAStoreMustShareTheirSecrets() {
        assertThat(TestConfig.problems(dir, "databroker_storage_type: redis\n", env("DATA_DIR", dir.toString(),
                "COOKIE_SECRET", TestConfig.COOKIE_SECRET)))
                .anySatisfy(p -> assertThat(p).startsWith("shared_secret is required with databroker_storage_type: redis:"
                        + " replicas that share a store must share their secrets, and each would generate its own"));
        assertThat(dir.resolve("secrets.yaml")).doesNotExist();
    }

    @Test
    void withoutAnyDataDirectoryTheSecretsAreRequired() {
        assertThat(TestConfig.problems(dir, "", env())).contains(
                "cookie_secret is required: there is no data directory to keep a generated one in (HOME is not set);"
                        + " generate one with \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\", and set"
                        + " it as COOKIE_SECRET (or COOKIE_SECRET_FILE naming a file that holds it), or set DATA_DIR to a"
                        + " writable directory");
    }
}
