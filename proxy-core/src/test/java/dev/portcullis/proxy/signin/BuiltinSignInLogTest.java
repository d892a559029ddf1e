package dev.portcullis.proxy.signin;

import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE_PASSWORD;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.alice;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log of built-in sign-ins — a wrong password, a right one, a refusal by the policy, a
 * sign-out — holds the audit events and never a password, a cookie value or a token.
 */
class BuiltinSignInLogTest {
    private static final String BOB = "bob@example.com";
    private static final String BOB_PASSWORD = "bob's long passphrase, never logged";

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
    void passwordsCookiesAndTokensNeverReachTheLog() throws Exception {
        fixture = BuiltinSignInFixture.start(dir, List.of(alice(), user(BOB, "Bob", List.of(), BOB_PASSWORD, Optional.empty())));
        List<String> secrets = new ArrayList<>(List.of(ALICE_PASSWORD, BOB_PASSWORD, RunningProxy.SECRET));
        CapturedLog log = new CapturedLog();
        try (log) {
            SignInClient wrong = fixture.client();
            Answer refused = fixture.postPassword(wrong, BuiltinSignInFixture.signInPage(wrong, fixture.url("app", "/")),
                    ALICE, "not " + ALICE_PASSWORD);
            assertThat(refused.status()).isNotEqualTo(302);
            secrets.add("not " + ALICE_PASSWORD);

            SignInClient browser = fixture.client();
            assertThat(fixture.signIn(browser, fixture.url("app", "/"), ALICE, ALICE_PASSWORD).status()).isEqualTo(200);
            secrets.addAll(browser.cookies("app.test").values());
            secrets.addAll(browser.cookies("authenticate.test").values());

            SignInClient bob = fixture.client();
            assertThat(fixture.signIn(bob, fixture.url("app", "/"), BOB, BOB_PASSWORD).status()).isEqualTo(403);
            secrets.addAll(bob.cookies("app.test").values());
            bob.follow(fixture.url("app", "/.pomerium/sign_out"));
        }

        List<JsonNode> signIns = log.events("sign_in");
        assertThat(signIns).extracting(e -> e.path("email").asText()).containsExactlyInAnyOrder(ALICE, BOB);
        assertThat(signIns).allSatisfy(e -> assertThat(e.path("provider").asText()).isEqualTo("builtin"));
        assertThat(log.events("access_denied")).singleElement()
                .satisfies(e -> assertThat(e.path("email").asText()).isEqualTo(BOB));
        assertThat(log.events("sign_out")).singleElement()
                .satisfies(e -> assertThat(e.path("email").asText()).isEqualTo(BOB));
        String all = log.all();
        for (String secret : secrets) {
            assertThat(all).as("the log must not hold %s…", secret.substring(0, 6)).doesNotContain(secret);
        }
        assertThat(all).doesNotContain("eyJ").doesNotContain("$argon2");
    }
}
