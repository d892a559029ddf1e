package dev.portcullis.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis check} on the bundled example configuration: first line, reasons, exit codes. */
class PolicyCheckTest {
    private static final String EXAMPLE = Path.of("..", "examples", "policies", "config.yaml").toString();

    private record Run(int code, List<String> lines, String err) {}

    private static Run check(String... args) {
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSynologyOwnerIsAllowed() {
        Run run = check("--config", EXAMPLE, "--url", "https://httpbin.int.nas.example/get",
                "--email", "your.email.address@gmail.com");
        assertThat(run.code()).isZero();
        assertThat(run.lines().get(0)).isEqualTo("allow");
        assertThat(run.lines()).contains("route: httpbin.int.nas.example (routes[0])", "reasons: email-ok");
    }

    @Test
    void someoneElseIsDeniedWithTheReasonAndWhatWasRequired() {
        Run run = check("--config", EXAMPLE, "--url", "https://httpbin.int.nas.example/", "--email", "eve@gmail.com");
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.lines().get(0)).isEqualTo("deny");
        assertThat(run.lines()).contains("reasons: email-unauthorized");
        assertThat(String.join("\n", run.lines())).contains("your.email.address@gmail.com").contains("eve@gmail.com");
    }

    @Test
    void withoutAPersonTheRequestIsAnonymous() {
        Run run = check("--config", EXAMPLE, "--url", "https://httpbin.int.nas.example/");
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.lines()).contains("outcome: SIGN_IN");
        assertThat(check("--config", EXAMPLE, "--url", "https://wiki.int.nas.example/public/a", "--anonymous").code()).isZero();
    }

    @Test
    void theAzureGuidesAllowedUsersWork() {
        assertThat(check("--config", EXAMPLE, "--url", "https://app1.external.domain/", "--email", "user1@azuread.domain").code())
                .isZero();
        assertThat(check("--config", EXAMPLE, "--url", "https://app2.external.domain/", "--email", "user1@azuread.domain").code())
                .isEqualTo(3);
    }

    @Test
    void groupsMethodsAndTimeOfDayAreEvaluated() {
        assertThat(check("--config", EXAMPLE, "--url", "https://wiki.int.nas.example/page", "--email", "dad@example.com",
                "--groups", "family").code()).isZero();
        assertThat(check("--config", EXAMPLE, "--url", "https://wiki.int.nas.example/page", "--email", "dad@example.com",
                "--groups", "family", "--method", "DELETE").code()).isEqualTo(3);
        // Monday 23 November 2026, 18:30 in Berlin, then 21:30.
        assertThat(check("--config", EXAMPLE, "--url", "https://games.int.nas.example/", "--email", "kid@example.com",
                "--groups", "kids", "--time", "2026-11-23T17:30:00Z").code()).isZero();
        assertThat(check("--config", EXAMPLE, "--url", "https://games.int.nas.example/", "--email", "kid@example.com",
                "--groups", "kids", "--time", "2026-11-23T20:30:00Z").code()).isEqualTo(3);
    }

    @Test
    void aUrlWithoutARouteIsDenied() {
        Run run = check("--config", EXAMPLE, "--url", "https://unknown.int.nas.example/", "--email", "a@b.c");
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.lines().get(1)).contains("no route");
    }

    @Test
    void configurationAndUsageErrorsExitTwo(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                cookie_secret: V2hhdCBhIGxvdmVseSBkZW1vIHNlY3JldCwgMzIgYnk=
                shared_secret: V2hhdCBhIGxvdmVseSBkZW1vIHNlY3JldCwgMzIgYnk=
                routes:
                  - from: https://a.example.com
                    to: http://a
                    policy:
                      - allow:
                          or:
                            - emial: {is: a@example.com}
                """);
        Run badConfig = check("--config", bad.toString(), "--url", "https://a.example.com/");
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, """
                cookie_secret: 4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=
                shared_secret: 4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=
                insecure_server: true
                routes:
                  - from: https://a.example.com
                    to: http://a
                    alowed_users: [a@example.com]
                """);
        Run misspelt = check("--config", typo.toString(), "--url", "https://a.example.com/", "--email", "a@example.com");
        assertThat(misspelt.lines()).first().isEqualTo("deny");
        assertThat(misspelt.err()).contains(
                "warning: routes[0]: unknown option \"alowed_users\" (did you mean \"allowed_users\"?)",
                "warning: routes[0] (a.example.com): lets no one in");
        assertThat(badConfig.code()).isEqualTo(2);
        assertThat(badConfig.err()).contains("routes[0].policy[0].allow.or[0]: unknown criterion \"emial\"");
        assertThat(check("--config", EXAMPLE).code()).isEqualTo(2);
        assertThat(check("--config", EXAMPLE, "--url", "ftp://x").code()).isEqualTo(2);
        assertThat(check("--config", EXAMPLE, "--url", "https://a/", "--anonymous", "--email", "a@b.c").code()).isEqualTo(2);
        assertThat(check("--config", EXAMPLE, "--url", "https://a/", "--bogus").err()).contains("unknown argument");
    }
}
