package dev.portcullis.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portcullis validate} as a process, through {@code main}, with the environment alone (the Synology
 * guide: no file, {@code POLICY} as base64): exit 0 when it would serve, 2 with every problem when not.
 */
class ValidateCommandTest {
    private static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";

    @TempDir
    Path dir;

    private record Exit(int code, String output) {}

    private Exit portcullis(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new Exit(process.exitValue(), output);
    }

    /** The Synology guide's Environment tab, its route.yaml given as POLICY. */
    private static Map<String, String> synologyGuide() {
        Map<String, String> env = new HashMap<>();
        env.put("POLICY", Base64.getEncoder().encodeToString("""
                # route.yaml
                - from: https://httpbin.int.nas.example
                  to: http://httpbin
                  policy:
                    - allow:
                        or:
                          - email:
                              is: alice@example.com
                """.getBytes(StandardCharsets.UTF_8)));
        env.put("INSECURE_SERVER", "TRUE");
        env.put("IDP_CLIENT_SECRET", "GOCSPX-not-a-real-secret");
        env.put("IDP_CLIENT_ID", "1234-abcd.apps.googleusercontent.com");
        env.put("IDP_PROVIDER", "google");
        env.put("COOKIE_SECRET", SECRET);
        env.put("AUTHENTICATE_SERVICE_URL", "https://authenticate.int.nas.example");
        env.put("SHARED_SECRET", SECRET);
        return env;
    }

    @Test
    void theSynologyGuidesEnvironmentAloneValidates() throws Exception {
        Exit exit = portcullis(synologyGuide(), "validate");

        assertThat(exit.code()).as(exit.output()).isZero();
        assertThat(exit.output()).contains("configuration OK: 1 routes");
    }

    @Test
    void aMistakeInTheEnvironmentExitsTwoNamingTheVariable() throws Exception {
        Map<String, String> env = synologyGuide();
        env.put("POLICY", Base64.getEncoder().encodeToString("""
                - from: https://httpbin.int.nas.example
                  to: htp:/httpbin
                  allowed_users: [alice@example.com]
                """.getBytes(StandardCharsets.UTF_8)));
        env.put("COOKIE_EXPIRE", "forever");

        Exit exit = portcullis(env, "validate");

        assertThat(exit.code()).as(exit.output()).isEqualTo(2);
        assertThat(exit.output()).contains("POLICY").contains("COOKIE_EXPIRE (cookie_expire)");
    }

    @Test
    void aWrongRedisConnectionStringIsNamedWithoutItsPasswordAndAGoodOneValidates() throws Exception {
        Map<String, String> env = synologyGuide();
        env.put("DATABROKER_STORAGE_TYPE", "redis");
        env.put("DATABROKER_STORAGE_CONNECTION_STRING", "redis://:hunter22@redis:6379/zero");

        Exit exit = portcullis(env, "validate");

        assertThat(exit.code()).as(exit.output()).isEqualTo(2);
        assertThat(exit.output()).contains("DATABROKER_STORAGE_CONNECTION_STRING (databroker_storage_connection_string):"
                        + " database \"zero\" is not a database number")
                .doesNotContain("hunter22");

        env.put("DATABROKER_STORAGE_CONNECTION_STRING", "redis://:hunter22@redis:6379/0");
        Exit valid = portcullis(env, "validate");
        assertThat(valid.code()).as(valid.output()).isZero();
        assertThat(valid.output()).doesNotContain("hunter22");
    }

    @Test
    void withoutSecretsItSaysWhereTheyWouldBeKeptAndWritesNothing() throws Exception {
        Map<String, String> env = synologyGuide();
        env.remove("COOKIE_SECRET");
        env.remove("SHARED_SECRET");
        Path data = dir.resolve("data");
        env.put("DATA_DIR", data.toString());

        Exit exit = portcullis(env, "validate");

        assertThat(exit.code()).as(exit.output()).isZero();
        assertThat(exit.output()).contains("warning: cookie_secret and shared_secret are not set: at start, new ones"
                + " would be generated and kept in " + data.resolve("secrets.yaml"));
        assertThat(data).doesNotExist();
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void theImagesAbsentConfigFileIsNoObstacle() throws Exception {
        Exit exit = portcullis(synologyGuide(), "validate", "--config", dir.resolve("pomerium/config.yaml").toString());

        assertThat(exit.code()).as(exit.output()).isZero();
    }
}
