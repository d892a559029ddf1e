package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.authn.passkey.PasskeyStore;
import dev.portcullis.authn.passkey.TestAuthenticator;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passkey endpoints as a client that is no browser sees them, with a software authenticator that can do what a
 * browser would not: answer without user verification, answer for another page's ceremony, post from another origin.
 */
class PasskeyEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OPTIONS = Pattern.compile("data-options=\"([^\"]*)\"");
    private static final String CAROL = "carol@example.com";
    private static final String CAROL_PASSWORD = "carol's long password";
    private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP";

    @TempDir
    java.nio.file.Path dir;

    private BuiltinSignInFixture fixture;
    private String origin;
    private String rpId;

    @BeforeEach
    void start() throws Exception {
        fixture = BuiltinSignInFixture.start(dir, List.of(BuiltinSignInFixture.alice(),
                BuiltinSignInFixture.user(CAROL, "Carol", List.of("family"), CAROL_PASSWORD, Optional.of(SECRET))));
        origin = fixture.url("authenticate", "");
        rpId = URI.create(origin).getHost();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aPasskeyWithUserVerificationIsBothFactorsWithoutItTheCodeIsAskedStill() throws Exception {
        TestAuthenticator authenticator = new TestAuthenticator();
        addPasskey(signedInCarol(), authenticator);
        String handle = passkeys().userHandle(CAROL).orElseThrow();

        SignInClient stranger = fixture.client();
        Answer page = BuiltinSignInFixture.signInPage(stranger, fixture.url("any", "/"));
        Answer withoutVerification = postPasskey(stranger, page,
                authenticator.authenticate(challenge(page), origin, rpId, handle, 1, false));
        assertThat(withoutVerification.status()).isEqualTo(200);
        assertThat(withoutVerification.body()).contains("id=\"code\"").contains("name=\"ticket\"");
        assertThat(stranger.cookies("authenticate.test")).doesNotContainKey("_pomerium_authenticate");

        page = BuiltinSignInFixture.signInPage(stranger, fixture.url("any", "/"));
        Answer verified = postPasskey(stranger, page, authenticator.authenticate(challenge(page), origin, rpId, handle, 2, true));
        assertThat(verified.status()).isEqualTo(302);
        assertThat(verified.location()).startsWith(origin + "/oauth2/callback?code=");
        Answer landed = stranger.open(URI.create(verified.url()).resolve(verified.location()).toString());
        assertThat(landed.status()).isEqualTo(200);
        assertThat(landed.url()).isEqualTo(fixture.url("any", "/"));
    }

    @Test
    void aCeremonyOfAnotherSignInAttemptOrAnAlteredOneIsRefused() throws Exception {
        TestAuthenticator authenticator = new TestAuthenticator();
        addPasskey(signedInCarol(), authenticator);
        String handle = passkeys().userHandle(CAROL).orElseThrow();
        SignInClient first = fixture.client();
        Answer firstPage = BuiltinSignInFixture.signInPage(first, fixture.url("any", "/"));
        SignInClient second = fixture.client();
        Answer secondPage = BuiltinSignInFixture.signInPage(second, fixture.url("any", "/"));

        // the second browser posts what the first page offered (its ceremony and challenge) with its own attempt
        Map<String, String> form = BuiltinSignInFixture.hiddenFields(secondPage.body());
        form.put("ceremony", BuiltinSignInFixture.hiddenFields(firstPage.body()).get("ceremony"));
        form.put("credential", authenticator.authenticate(challenge(firstPage), origin, rpId, handle, 1, true));
        Answer crossed = second.post(origin + "/.pomerium/builtin/passkey", BuiltinSignInFixture.encode(form));
        assertThat(crossed.status()).isEqualTo(200);
        assertThat(crossed.body()).contains("That passkey did not work here.");

        form = BuiltinSignInFixture.hiddenFields(secondPage.body());
        form.put("ceremony", form.get("ceremony").substring(1));
        form.put("credential", authenticator.authenticate(challenge(secondPage), origin, rpId, handle, 2, true));
        Answer altered = second.post(origin + "/.pomerium/builtin/passkey", BuiltinSignInFixture.encode(form));
        assertThat(altered.status()).isEqualTo(200);
        assertThat(altered.body()).contains("That passkey did not work here.");
        assertThat(passkeys().list(CAROL).get(0).lastUsed()).isEmpty();
    }

    @Test
    void passkeyChangesNeedTheAuthenticateHostsOwnOriginAndASession() throws Exception {
        SignInClient carol = signedInCarol();
        String options = origin + "/.pomerium/builtin/passkeys/options";

        assertThat(carol.post(options, "").status()).as("no Origin").isEqualTo(403);
        assertThat(carol.post(options, "", "Origin", fixture.url("any", "")).status()).as("a route host").isEqualTo(403);
        assertThat(carol.post(options, "", "Origin", "null").status()).as("an opaque origin").isEqualTo(403);
        assertThat(carol.post(options, "", "Origin", "null", "Sec-Fetch-Site", "cross-site").status())
                .as("a sandboxed frame elsewhere").isEqualTo(403);
        assertThat(carol.post(options, "", "Origin", "null", "Sec-Fetch-Site", "same-site").status())
                .as("a route host's page without its origin").isEqualTo(403);
        assertThat(carol.post(options, "", "Origin", fixture.url("any", ""), "Sec-Fetch-Site", "same-origin").status())
                .as("another origin, whatever else is said").isEqualTo(403);
        assertThat(carol.post(options, "", "Origin", "null", "Sec-Fetch-Site", "same-origin").status())
                .as("its own page under Referrer-Policy: no-referrer").isEqualTo(200);
        assertThat(fixture.client().post(options, "", "Origin", origin).status()).as("no session").isEqualTo(401);
        assertThat(carol.get(options, "Origin", origin).status()).as("a GET").isEqualTo(404);

        TestAuthenticator authenticator = new TestAuthenticator();
        addPasskey(carol, authenticator);
        String id = passkeys().list(CAROL).get(0).id();
        Answer removedFromElsewhere = carol.post(origin + "/.pomerium/builtin/passkeys/remove", "id=" + id,
                "Origin", fixture.url("any", ""));
        assertThat(removedFromElsewhere.status()).isEqualTo(403);
        assertThat(passkeys().list(CAROL)).hasSize(1);

        // another user's passkey id changes nothing
        SignInClient alice = fixture.client();
        fixture.signIn(alice, fixture.url("app", "/"), BuiltinSignInFixture.ALICE, BuiltinSignInFixture.ALICE_PASSWORD);
        Answer notHers = alice.post(origin + "/.pomerium/builtin/passkeys/remove", "id=" + id, "Origin", origin);
        assertThat(notHers.location()).isEqualTo("/.pomerium/?passkey=gone#passkeys");
        assertThat(passkeys().list(CAROL)).hasSize(1);

        Answer removed = carol.post(origin + "/.pomerium/builtin/passkeys/remove", "id=" + id, "Origin", origin);
        assertThat(removed.location()).isEqualTo("/.pomerium/?passkey=removed#passkeys");
        assertThat(passkeys().list(CAROL)).isEmpty();
    }

    @Test
    void aPasskeyNameKeepsNoControlOrFormattingCharacters() throws Exception {
        SignInClient carol = signedInCarol();
        addPasskey(carol, new TestAuthenticator(), "\u001b[2J Phone\nadded\u202e " + "x".repeat(100));

        String kept = passkeys().list(CAROL).get(0).name();
        assertThat(kept).isEqualTo("[2J Phoneadded " + "x".repeat(64 - "[2J Phoneadded ".length()));
        assertThat(kept.codePoints()).noneMatch(Character::isISOControl);
    }

    @Test
    void theUserPageListsThePasskeysAsJsonToo() throws Exception {
        SignInClient carol = signedInCarol();
        addPasskey(carol, new TestAuthenticator());

        JsonNode page = JSON.readTree(carol.get(origin + "/.pomerium/", "Accept", "application/json").body());
        assertThat(page.path("passkeys")).hasSize(1);
        assertThat(page.path("passkeys").get(0).path("name").asText()).startsWith("Passkey added ");
        assertThat(page.path("passkeys").get(0).path("last_used_at").isNull()).isTrue();
        Answer html = carol.get(origin + "/.pomerium/");
        assertThat(html.header("content-security-policy").orElseThrow()).contains("script-src 'sha256-")
                .doesNotContain("unsafe-eval").doesNotContain("script-src 'unsafe-inline'");
        Answer routePage = carol.open(fixture.url("any", "/.pomerium/"));
        assertThat(routePage.body()).contains("<form method=\"get\" action=\"" + origin + "/.pomerium/\">"
                + "<input type=\"hidden\" name=\"passkey\" value=\"add\"/><button type=\"submit\">Add a passkey</button>");
        assertThat(routePage.header("content-security-policy").orElseThrow()).doesNotContain("script-src");
    }

    /** Carol signed in with her password and code: the authenticate host's session, and the route's. */
    private SignInClient signedInCarol() throws Exception {
        SignInClient client = fixture.client();
        Answer page = BuiltinSignInFixture.signInPage(client, fixture.url("any", "/"));
        Answer codePage = fixture.postPassword(client, page, CAROL, CAROL_PASSWORD);
        Answer coded = fixture.postCode(client, codePage, BuiltinSignInFixture.totp(SECRET, Instant.now()));
        assertThat(coded.status()).as(coded.body()).isEqualTo(302);
        client.open(URI.create(coded.url()).resolve(coded.location()).toString());
        return client;
    }

    /** Adds a passkey of {@code authenticator} for the signed-in {@code client}, as the user page's script does. */
    private void addPasskey(SignInClient client, TestAuthenticator authenticator) throws Exception {
        addPasskey(client, authenticator, "");
    }

    private void addPasskey(SignInClient client, TestAuthenticator authenticator, String name) throws Exception {
        Answer options = client.post(origin + "/.pomerium/builtin/passkeys/options", "", "Origin", origin);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(options.body());
        String credential = authenticator.register(answer.path("options").path("challenge").asText(), origin, rpId, true);
        Answer added = client.post(origin + "/.pomerium/builtin/passkeys/add", BuiltinSignInFixture.encode(Map.of(
                "ceremony", answer.path("ceremony").asText(), "credential", credential, "name", name)), "Origin", origin);
        assertThat(added.location()).isEqualTo("/.pomerium/?passkey=added#passkeys");
    }

    private Answer postPasskey(SignInClient client, Answer page, String credential) throws Exception {
        Map<String, String> form = BuiltinSignInFixture.hiddenFields(page.body());
        form.put("credential", credential);
        return client.post(origin + "/.pomerium/builtin/passkey", BuiltinSignInFixture.encode(form));
    }

    /** The challenge of the passkey request the sign-in page offers. */
    private static String challenge(Answer page) throws Exception {
        Matcher matcher = OPTIONS.matcher(page.body());
        assertThat(matcher.find()).as("the page offers a passkey").isTrue();
        return JSON.readTree(matcher.group(1).replace("&quot;", "\"").replace("&amp;", "&")).path("challenge").asText();
    }

    private PasskeyStore passkeys() {
        return new PasskeyStore(PasskeyStore.besideUsersFile(fixture.usersFile));
    }
}
