package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.invitation.Invitations;
import dev.portcullis.authn.passkey.PasskeyStore;
import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.testing.Browser;
import dev.portcullis.proxy.testing.SignInClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * An invitation ({@code portcullis users invite}) redeemed in a real browser: the invited person registers a passkey
 * or chooses a password on the link's page, the link works once, an expired link never, and the new user signs in at
 * once (the upstream receives their assertion). The link's page never sends its token on as a referrer.
 */
class BrowserInvitationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DORA = "dora@example.com";

    @TempDir
    Path dir;

    @AutoClose
    private BuiltinSignInFixture fixture;
    @AutoClose
    private Browser browser;

    @Test
    void anInvitedPersonRegistersAPasskeyOnceAndSignsInWithIt() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start(Browser.WindowSize.PHONE);
        browser.addPlatformAuthenticator();
        String link = invite(Instant.now(), Duration.ofHours(24));

        try (CapturedLog log = new CapturedLog()) {
            browser.open(link);
            browser.waitForText("Welcome, Dora");
            assertThat(browser.text()).contains("You are invited to sign in as " + DORA);
            browser.pageImage("invitation.png");
            browser.type(By.id("passkey-name"), "Dora's phone");
            browser.click(By.xpath("//button[text()='Register a passkey']"));
            browser.waitForText("You are set up");
            assertThat(browser.text()).contains(DORA + " can sign in now, with the passkey you just registered.");

            BuiltinUser dora = UsersFile.read(fixture.usersFile).find(DORA).orElseThrow();
            assertThat(dora.passwordHash()).isEmpty();
            assertThat(dora.groups()).containsExactly("family");
            assertThat(new PasskeyStore(PasskeyStore.besideUsersFile(fixture.usersFile)).list(DORA))
                    .singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("Dora's phone"));
            assertThat(log.events("invitation_accepted")).singleElement()
                    .satisfies(e -> assertThat(e.path("with").asText()).isEqualTo("passkey"));
            assertThat(log.all()).doesNotContain(token(link));
        }

        browser.open(link);
        browser.waitForText("This invitation cannot be used");

        // signed in by the passkey at once: the sign-in page's autofill request is answered by the authenticator
        browser.open(fixture.url("any", "/welcome"));
        browser.waitForUrl(url -> url.equals(fixture.url("any", "/welcome")));
        assertThat(claims(fixture.upstream.lastRequest().header("x-pomerium-jwt-assertion")).path("email").asText())
                .isEqualTo(DORA);
    }

    @Test
    void anInvitedPersonChoosesAPasswordTypedTheSameTwice() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start();
        String link = invite(Instant.now(), Duration.ofHours(24));

        browser.open(link);
        browser.type(By.id("password"), "dora's own password");
        browser.type(By.id("password-again"), "dora's other password");
        browser.submit(By.id("password-again"));
        browser.waitForText("The two passwords differ. Type the same password twice.");
        browser.type(By.id("password"), "dora's own password");
        browser.type(By.id("password-again"), "dora's own password");
        browser.submit(By.id("password-again"));
        browser.waitForText("You are set up");

        BuiltinUser dora = UsersFile.read(fixture.usersFile).find(DORA).orElseThrow();
        assertThat(PasswordHasher.verify("dora's own password".toCharArray(), dora.passwordHash().orElseThrow())).isTrue();
        browser.open(link);
        browser.waitForText("This invitation cannot be used");

        SignInClient client = fixture.client();
        SignInClient.Answer landed = fixture.signIn(client, fixture.url("any", "/"), DORA, "dora's own password");
        assertThat(landed.status()).isEqualTo(200);
        assertThat(claims(fixture.upstream.lastRequest().header("x-pomerium-jwt-assertion")).path("email").asText())
                .isEqualTo(DORA);
    }

    @Test
    void anExpiredOrUnknownLinkIsRefusedWithGoneAndMakesNoUser() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        String expired = invite(Instant.now().minus(Duration.ofDays(2)), Duration.ofHours(24));
        SignInClient client = fixture.client();

        SignInClient.Answer page = client.open(expired);
        assertThat(page.status()).isEqualTo(410);
        assertThat(page.body()).contains("This invitation cannot be used");
        assertThat(page.header("referrer-policy")).contains("no-referrer");
        String form = "token=" + token(expired) + "&password=long+enough+password&password_again=long+enough+password";
        SignInClient.Answer posted = client.post(fixture.url("authenticate", "/.pomerium/builtin/invitation"), form);
        assertThat(posted.status()).isEqualTo(410);
        assertThat(client.open(fixture.url("authenticate", "/.pomerium/builtin/invitation?token=made-up")).status())
                .isEqualTo(410);
        assertThat(client.post(fixture.url("authenticate", "/.pomerium/builtin/invitation/passkey_options"),
                "token=" + token(expired)).status()).isEqualTo(410);
        assertThat(UsersFile.read(fixture.usersFile).find(DORA)).isEmpty();
    }

    /** Invites Dora as {@code portcullis users invite} does, at {@code now}; the link it prints. */
    private String invite(Instant now, Duration validity) throws Exception {
        String token = new Invitations(Invitations.besideUsersFile(fixture.usersFile))
                .invite(DORA, "Dora", List.of("family"), validity, now);
        return fixture.url("authenticate", "/.pomerium/builtin/invitation?token=" + token);
    }

    private static String token(String link) {
        return link.substring(link.indexOf("token=") + "token=".length());
    }

    private static JsonNode claims(String jwt) throws Exception {
        assertThat(jwt).as("the assertion header").isNotNull();
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
