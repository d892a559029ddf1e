package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.authn.passkey.PasskeyStore;
import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.testing.Browser;
import dev.portcullis.proxy.testing.Eventually;
import dev.portcullis.proxy.testing.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * Passkeys in a real browser: headless Chromium with a virtual authenticator (a platform authenticator with
 * resident keys and user verification, as a phone or laptop has), on {@code *.localhost}, which Chromium treats as
 * a secure origin over plain HTTP. The user adds a passkey from {@code /.pomerium/}, signs out, and signs in with
 * the passkey alone; the upstream receives the assertion. Screenshots go to {@code target/browser/}; with
 * {@code -Dportcullis.screenshots=docs} also to {@code docs/img/}.
 */
class BrowserPasskeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @AutoClose
    private BuiltinSignInFixture fixture;
    @AutoClose
    private Browser browser;

    @Test
    void addsAPasskeyFromTheUserPageThenSignsInWithItAlone() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start();
        VirtualAuthenticator authenticator = browser.addPlatformAuthenticator();
        withoutPasskeyAutofill();

        signInWithPassword();
        browser.open(fixture.url("app", "/.pomerium/"));
        browser.waitForText("Your passkeys are kept by the sign-in page on authenticate.localhost");
        browser.click(By.xpath("//button[text()='Add a passkey']"));
        browser.waitForText("The passkey is added. You can sign in with it now.");
        assertThat(browser.currentUrl()).startsWith(fixture.url("authenticate", "/.pomerium/?passkey=added"));
        assertThat(authenticator.getCredentials()).hasSize(1);
        assertThat(storedPasskeys()).hasSize(1);

        browser.type(By.cssSelector("#passkeys form.inline input[name=name]"), "Work laptop");
        browser.click(By.xpath("//button[text()='Rename']"));
        browser.waitForText("The passkey is renamed.");
        assertThat(storedPasskeys().get(0).name()).isEqualTo("Work laptop");
        browser.pageImage("passkeys-user-page.png");

        signOut();
        browser.open(fixture.url("app", "/photos?album=1"));
        browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
        browser.waitForText("Sign in with a passkey");
        browser.pageImage("builtin-sign-in-passkey.png");
        int before = fixture.upstream.requests().size();
        browser.click(By.xpath("//button[text()='Sign in with a passkey']"));

        waitForUrl(url -> url.startsWith(fixture.url("app", "/photos")));
        TestUpstream.Recorded reached = fixture.upstream.requests().get(before);
        assertThat(reached.rawPath()).isEqualTo("/photos?album=1");
        JsonNode assertion = claims(reached.header("x-pomerium-jwt-assertion"));
        assertThat(assertion.path("email").asText()).isEqualTo(BuiltinSignInFixture.ALICE);
        assertThat(storedPasskeys().get(0).lastUsed()).isPresent();
        assertThat(storedPasskeys().get(0).signCount()).isPositive();
    }

    @Test
    void theEmailFieldOffersThePasskey() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start();
        browser.addPlatformAuthenticator();
        signInWithPassword();
        addPasskey();
        signOut();

        browser.open(fixture.url("app", "/"));
        // the page asked for a passkey with conditional mediation as it loaded: the virtual authenticator, which
        // needs no choosing, answers that request by itself, as a person picking the passkey from autofill would
        waitForUrl(url -> url.startsWith(fixture.url("app", "/")));
        assertThat(fixture.upstream.lastRequest().header("x-pomerium-jwt-assertion")).isNotNull();
    }

    @Test
    void aClonedAuthenticatorIsRefusedAndAudited() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start();
        VirtualAuthenticator authenticator = browser.addPlatformAuthenticator();
        withoutPasskeyAutofill();
        signInWithPassword();
        addPasskey();
        Credential copy = authenticator.getCredentials().get(0); // the key as it was before any sign-in
        signOut();
        signInWithPasskey();
        assertThat(storedPasskeys().get(0).signCount()).isPositive();
        signOut();

        authenticator.removeAllCredentials();
        authenticator.addCredential(Credential.createResidentCredential(copy.getId(), copy.getRpId(),
                copy.getPrivateKey(), copy.getUserHandle(), copy.getSignCount()));
        try (CapturedLog log = new CapturedLog()) {
            browser.open(fixture.url("app", "/"));
            browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
            browser.click(By.xpath("//button[text()='Sign in with a passkey']"));
            browser.waitForText("That passkey did not work here. Use another, or your password.");

            assertThat(browser.currentUrl()).contains("authenticate.localhost");
            assertThat(browser.cookie("_pomerium")).isEmpty();
            List<JsonNode> regressions = log.events("passkey_counter_regressed");
            assertThat(regressions).hasSize(1);
            assertThat(regressions.get(0).path("email").asText()).isEqualTo(BuiltinSignInFixture.ALICE);
            assertThat(regressions.get(0).path("level").asText()).isEqualTo("WARN");
        }
    }

    @Test
    void aRemovedUsersPasskeyStopsWorking() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice(),
                BuiltinSignInFixture.user("bob@example.com", "Bob", List.of(), "bob's long password", Optional.empty())));
        browser = Browser.start();
        browser.addPlatformAuthenticator();
        withoutPasskeyAutofill();
        signInWithPassword();
        addPasskey();
        signOut();

        try (CapturedLog log = new CapturedLog()) {
            fixture.writeUsers(List.of(BuiltinSignInFixture.user("bob@example.com", "Bob", List.of(),
                    "bob's long password", Optional.empty())));
            try {
                Eventually.within(Duration.ofSeconds(10), log::all, all -> all.contains("read again, 1 users"));
            } catch (Exception | AssertionError e) {
                throw new AssertionError("the proxy's log:\n" + log.all(), e);
            }
        }
        browser.open(fixture.url("any", "/"));
        browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
        browser.click(By.xpath("//button[text()='Sign in with a passkey']"));
        browser.waitForText("That passkey did not work here. Use another, or your password.");
        assertThat(browser.cookie("_pomerium")).isEmpty();
    }

    @Test
    void aChangeFromAnotherSiteIsRefused() throws Exception {
        fixture = BuiltinSignInFixture.startOnLocalhost(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start();
        browser.addPlatformAuthenticator();
        signInWithPassword();
        addPasskey();
        String id = storedPasskeys().get(0).id();

        // a page of a route host (same site, other origin) posts a removal to the authenticate host
        browser.open(fixture.url("public", "/"));
        Object status = browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', mode: 'no-cors', credentials: 'include',"
                + " body: new URLSearchParams({id: arguments[1]})}).then(() => done('sent'), e => done(String(e)));",
                fixture.url("authenticate", "/.pomerium/builtin/passkeys/remove"), id);

        assertThat(status).isEqualTo("sent");
        assertThat(storedPasskeys()).hasSize(1);
    }

    /**
     * Makes every page believe the browser has no passkey autofill, so a test reaches the sign-in page and clicks "Sign
     * in with a passkey" (the virtual authenticator would otherwise answer the autofill request at once).
     */
    private void withoutPasskeyAutofill() {
        browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source",
                "PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);"));
    }

    private void signInWithPassword() {
        browser.open(fixture.url("app", "/.pomerium/"));
        browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
        assertThat(browser.find(By.id("email")).getAttribute("autocomplete")).isEqualTo("username webauthn");
        browser.type(By.id("email"), BuiltinSignInFixture.ALICE);
        browser.type(By.id("password"), BuiltinSignInFixture.ALICE_PASSWORD);
        browser.submit(By.id("password"));
        browser.waitForText("Signed in");
    }

    private void addPasskey() {
        browser.open(fixture.url("authenticate", "/.pomerium/"));
        browser.click(By.xpath("//button[text()='Add a passkey']"));
        browser.waitForText("The passkey is added.");
    }

    private void signInWithPasskey() {
        browser.open(fixture.url("app", "/"));
        browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
        browser.click(By.xpath("//button[text()='Sign in with a passkey']"));
        waitForUrl(url -> url.startsWith(fixture.url("app", "/")));
    }

    /** Signs out on the route and the authenticate host. */
    private void signOut() {
        browser.open(fixture.url("app", "/.pomerium/"));
        browser.click(By.xpath("//button[text()='Sign out']"));
        browser.waitForUrl(url -> !url.contains("/.pomerium/sign_out"));
        browser.open(fixture.url("authenticate", "/.pomerium/"));
        assertThat(browser.text()).doesNotContain(BuiltinSignInFixture.ALICE);
    }

    private List<dev.portcullis.authn.passkey.PasskeyCredential> storedPasskeys() throws Exception {
        return new PasskeyStore(PasskeyStore.besideUsersFile(fixture.usersFile)).list(BuiltinSignInFixture.ALICE);
    }

    private static JsonNode claims(String jwt) throws Exception {
        assertThat(jwt).as("the assertion header").isNotNull();
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    /** Waits for the URL to satisfy {@code condition}, or fails saying where the browser is and what it shows. */
    private void waitForUrl(java.util.function.Predicate<String> condition) {
        try {
            browser.waitForUrl(condition);
        } catch (RuntimeException e) {
            throw new AssertionError("waiting to leave " + browser.currentUrl() + ":\n" + browser.text(), e);
        }
    }
}
