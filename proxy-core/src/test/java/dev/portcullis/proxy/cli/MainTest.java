package dev.portcullis.proxy.cli;

import dev.portcullis.proxy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.log.CapturedLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a person uses it: exit codes and what is printed. */
class MainTest {
    private static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";

    private record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void genSecretPrintsThirtyTwoRandomBytesInBase64() {
        Run first = run(Map.of(), "gen-secret");
        Run second = run(Map.of(), "gen-secret");
        assertThat(first.code()).isZero();
        assertThat(Base64.getDecoder().decode(first.out().trim())).hasSize(32);
        assertThat(first.out()).isNotEqualTo(second.out());
    }

    @Test
    void validateAcceptsAGoodConfiguration(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                cookie_secret: %1$s
                shared_secret: %1$s
                insecure_server: true
                routes:
                  - from: https://httpbin.int.nas.example
                    to: http://httpbin
                    allow_public_unauthenticated_access: true
                """.formatted(SECRET));
        Run result = run(Map.of(), "validate", "--config", config.toString());
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("configuration OK: 1 routes");
        assertThat(run(Map.of(), "validate", "-config", config.toString()).code()).isZero();
    }

    @Test
    void validateRefusesAnUpstreamClientKeyThatIsNotTheCertificatesAsServeDoes(@TempDir Path dir) throws Exception {
        TestPki.Issued ca = TestPki.ca("Clients CA");
        Path certificate = Files.writeString(dir.resolve("client.pem"), TestPki.client(ca, "portcullis").certificatePem());
        Path otherKey = Files.writeString(dir.resolve("other.key"), TestPki.pem(TestPki.client(ca, "other").key()));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                cookie_secret: %1$s
                shared_secret: %1$s
                insecure_server: true
                routes:
                  - from: https://app.int.nas.example
                    to: https://app:8443
                    tls_client_cert_file: %2$s
                    tls_client_key_file: %3$s
                    allow_public_unauthenticated_access: true
                """.formatted(SECRET, certificate, otherKey));

        Run result = run(Map.of(), "validate", "--config", config.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("routes[0].tls_client_cert_file: ");
    }

    @Test
    void validateListsEveryProblemWithItsPathAndExitsTwo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                insecure_server: maybe
                routes:
                  - from: https://a.example.com
                    to: "htp:/x"
                """);
        Run result = run(Map.of(), "validate", "--config", config.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err())
                .contains("routes[0].to")
                .contains("insecure_server")
                .contains("cookie_secret is required")
                .contains("head -c32 /dev/urandom | base64");
    }

    @Test
    void environmentAloneIsAValidConfiguration() {
        Run result = run(Map.of(
                "COOKIE_SECRET", SECRET,
                "SHARED_SECRET", SECRET,
                "INSECURE_SERVER", "TRUE",
                "POLICY", Base64.getEncoder().encodeToString("""
                        - from: https://httpbin.int.nas.example
                          to: http://httpbin
                          allow_public_unauthenticated_access: true
                        """.getBytes(StandardCharsets.UTF_8))),
                "validate");
        assertThat(result.code()).as(result.err()).isZero();
    }

    @Test
    void aConfigFileThatDoesNotExistIsWarnedAboutByName() {
        Run result = run(Map.of("COOKIE_SECRET", SECRET, "SHARED_SECRET", SECRET), "validate", "--config",
                "/nonexistent/pomerium/confg.yaml");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out() + result.err()).contains("/nonexistent/pomerium/confg.yaml: the --config file does not exist");
    }

    /** Issue 14, items 6 and 22: a configuration with which nobody can sign in is valid, and validate says why. */
    @Test
    void validateSaysWhenNobodyCanSignIn() {
        String policy = Base64.getEncoder().encodeToString("""
                - from: https://app.example.com
                  to: http://app
                  allowed_users: [alice@example.com]
                """.getBytes(StandardCharsets.UTF_8));
        Run noProvider = run(Map.of("COOKIE_SECRET", SECRET, "SHARED_SECRET", SECRET, "INSECURE_SERVER", "true",
                "POLICY", policy), "validate");
        Run noClient = run(Map.of("COOKIE_SECRET", SECRET, "SHARED_SECRET", SECRET, "INSECURE_SERVER", "true",
                "POLICY", policy, "IDP_PROVIDER", "google", "AUTHENTICATE_SERVICE_URL", "https://authenticate.example.com"),
                "validate");

        assertThat(noProvider.code()).as(noProvider.err()).isZero();
        assertThat(noProvider.err()).contains("warning: policy[0] (app.example.com) lets in only people who sign in, and"
                + " no identity provider is configured").contains("authenticate.pomerium.app").contains("idp_provider: builtin");
        assertThat(noClient.code()).as(noClient.err()).isZero();
        assertThat(noClient.err()).contains("warning: idp_provider google is set, but idp_client_id (IDP_CLIENT_ID) and"
                + " idp_client_secret");
    }

    @Test
    void validateWarnsAboutWhatLoadsButServesNoOne(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "insecure_server: true\n");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), """
                insecure_server: true
                routes:
                  - from: https://httpbin.int.nas.example
                    to: http://httpbin
                    allowed_user: [alice@example.com]
                  - from: https://wiki.int.nas.example
                    to: http://wiki
                    policy:
                      - allow:
                          or:
                            - email:
                                is: your.email.address@gmail.com
                """);
        Map<String, String> secrets = Map.of("COOKIE_SECRET", SECRET, "SHARED_SECRET", SECRET);

        Run none = run(secrets, "validate", "--config", empty.toString());
        Run misspelt = run(secrets, "validate", "--config", typo.toString());

        assertThat(none.code()).isZero();
        assertThat(none.err()).contains("warning: routes: none configured");
        assertThat(misspelt.code()).isZero();
        assertThat(misspelt.err()).contains(
                "warning: routes[0]: unknown option \"allowed_user\" (did you mean \"allowed_users\"?)",
                "warning: routes[0] (httpbin.int.nas.example): lets no one in, every request is denied",
                "warning: routes[1].policy[0].allow.or[0].email.is: \"your.email.address@gmail.com\" is a placeholder");
    }

    @Test
    void aPortInUseIsOneSentenceNamingTheAddressAndHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                CapturedLog log = new CapturedLog()) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            Run result = run(Map.of("COOKIE_SECRET", SECRET, "SHARED_SECRET", SECRET, "INSECURE_SERVER", "true",
                    "LOG_LEVEL", "warn", "ADDRESS", address, "POLICY", Base64.getEncoder().encodeToString("""
                            - from: https://httpbin.int.nas.example
                              to: http://httpbin
                              allow_public_unauthenticated_access: true
                            """.getBytes(StandardCharsets.UTF_8))));

            assertThat(result.code()).isEqualTo(1);
            assertThat(log.lines()).filteredOn(line -> line.contains("cannot start")).singleElement().satisfies(line -> {
                assertThat(line).contains("cannot listen on " + address + " (address): another program (or another"
                        + " Portcullis) already listens there; choose another port with ADDRESS=:"
                        + (taken.getLocalPort() + 1) + " or address: \\\":" + (taken.getLocalPort() + 1)
                        + "\\\" in config.yaml");
                assertThat(line).doesNotContain("stack_trace").doesNotContain("io.netty");
            });
        }
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Run result = run(Map.of(), "--version");
        assertThat(result.code()).isZero();
        assertThat(result.out()).matches("portcullis \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }

    @Test
    void usageErrorsExitTwoWithTheUsage() {
        Run unknown = run(Map.of(), "frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command").contains("Usage:");
        assertThat(run(Map.of(), "validate").code()).isEqualTo(2); // no secrets
        assertThat(run(Map.of(), "--config").code()).isEqualTo(2);
        assertThat(run(Map.of(), "--help").out()).contains("gen-secret");
    }
}
