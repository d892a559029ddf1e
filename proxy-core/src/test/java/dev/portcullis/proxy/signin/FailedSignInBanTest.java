package dev.portcullis.proxy.signin;

import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE_PASSWORD;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.alice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.testing.SignInClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong password on the built-in sign-in page is a {@code sign_in_failed} audit event with the email
 * tried and the client's address, and the fail2ban filter of {@code docs/logging.md} finds that address
 * in the very line the proxy writes.
 */
class FailedSignInBanTest {
    private static final Path LOGGING_DOC = Path.of(System.getProperty("basedir", "."), "..", "docs", "logging.md");

    @TempDir
    Path dir;

    private BuiltinSignInFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aWrongPasswordIsAnAuditEventTheDocumentedFail2banFilterBansOn() throws Exception {
        fixture = BuiltinSignInFixture.start(dir, List.of(alice()));
        List<String> lines;
        try (CapturedLog log = new CapturedLog()) {
            SignInClient guesser = fixture.client();
            fixture.postPassword(guesser, BuiltinSignInFixture.signInPage(guesser, fixture.url("app", "/")),
                    ALICE, "not " + ALICE_PASSWORD);
            assertThat(log.events("sign_in_failed")).singleElement().satisfies(event -> {
                assertThat(event.path("email").asText()).isEqualTo(ALICE);
                assertThat(event.path("client").asText()).isEqualTo("127.0.0.1");
                assertThat(event.path("reason").asText()).isEqualTo("wrong_credentials");
            });
            lines = log.lines();
        }

        Pattern failregex = fail2banRegex();
        List<String> banned = lines.stream().map(failregex::matcher).filter(Matcher::find).map(m -> m.group("host")).toList();
        assertThat(banned).as("the lines the filter matches, of %s", lines).containsExactly("127.0.0.1");
        assertThat(String.join("", lines)).doesNotContain(ALICE_PASSWORD);
    }

    /** The documented {@code failregex}, with fail2ban's {@code <HOST>} read as an IPv4 or IPv6 address. */
    private static Pattern fail2banRegex() throws Exception {
        String line = Files.readAllLines(LOGGING_DOC).stream().filter(l -> l.startsWith("failregex = "))
                .findFirst().orElseThrow(() -> new AssertionError("no failregex in " + LOGGING_DOC));
        String regex = line.substring("failregex = ".length()).replace("<HOST>", "(?<host>[0-9A-Fa-f.:]+)");
        return Pattern.compile(regex);
    }
}
