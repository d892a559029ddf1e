package dev.portcullis.proxy.signin;

import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE_PASSWORD;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.alice;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.claims;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.hiddenFields;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.signInPage;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.builtin.Totp;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sign-in with {@code idp_provider: builtin} through the proxy, with a client that keeps
 * cookies per host like a browser: the sign-in page, the password and the TOTP steps, refusals that
 * say nothing about which part was wrong, the CSRF check, throttling, and the users file changing
 * while the proxy runs. Each test has its own proxy, so failures counted by one do not throttle
 * another.
 */
class BuiltinSignInFlowTest {
    private static final String TOTP_SECRET = Totp.newSecret(NonBlockingRandom.get());
    private static final String BOB = "bob@example.com";
    private static final String BOB_PASSWORD = "bob's long passphrase";

    @TempDir
    Path dir;

    private BuiltinSignInFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private BuiltinSignInFixture start() throws Exception {
        fixture = BuiltinSignInFixture.start(dir, List.of(alice(),
                user(BOB, "Bob", List.of("family"), BOB_PASSWORD, Optional.of(TOTP_SECRET))));
        return fixture;
    }

    @Test
    void aStrangerSignsInWithEmailAndPasswordAndTheUpstreamReceivesTheirAssertion() throws Exception {
        start();
        SignInClient browser = fixture.client();

        List<Answer> hops = browser.follow(fixture.url("app", "/private/page?x=1"));
        assertThat(hops.get(0).location()).startsWith(fixture.url("authenticate", "/.pomerium/sign_in?"));
        assertThat(hops.get(1).location()).startsWith(fixture.url("authenticate", "/.pomerium/builtin/sign_in?state="))
                .contains("&nonce=").contains("&redirect_uri=");
        assertThat(hops.get(1).headers("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("_pomerium_csrf="));
        Answer page = hops.get(hops.size() - 1);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.header("cache-control")).contains("no-store");
        assertThat(page.header("content-security-policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        assertThat(page.body())
                .contains("<label for=\"email\">", "autocomplete=\"username webauthn\"", "autocomplete=\"current-password\"")
                .contains("autofocus=\"autofocus\"", "action=\"/.pomerium/builtin/sign_in\"", "method=\"post\"")
                .contains("to continue to <strong>app.test:" + fixture.port + "</strong>")
                .doesNotContain("http://", "https://");
        // one script, the passkey ceremony's, allowed by its hash and nothing else
        assertThat(page.body().split("<script", -1)).hasSize(2);
        assertThat(page.header("content-security-policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("script-src 'sha256-").doesNotContain("script-src 'unsafe-inline'").doesNotContain("unsafe-eval"));
        assertThat(hiddenFields(page.body())).containsOnlyKeys("state", "nonce", "ceremony", "credential");
        // one state and one nonce on the page: a client that posts every hidden field it finds posts each once
        assertThat(page.body().split("name=\"state\"", -1)).hasSize(2);
        assertThat(page.body().split("name=\"nonce\"", -1)).hasSize(2);

        Answer posted = fixture.postPassword(browser, page, "Alice@Example.com", ALICE_PASSWORD);
        assertThat(posted.status()).isEqualTo(302);
        assertThat(posted.location()).startsWith(fixture.url("authenticate", "/oauth2/callback?code="))
                .contains("&state=" + hiddenFields(page.body()).get("state"));
        Answer reached = browser.open(posted.location());
        assertThat(reached.status()).isEqualTo(200);
        assertThat(reached.url()).isEqualTo(fixture.url("app", "/private/page?x=1"));

        TestUpstream.Recorded seen = fixture.upstream.lastRequest();
        assertThat(seen.rawPath()).isEqualTo("/private/page?x=1");
        JsonNode claims = claims(seen.header("X-Pomerium-Jwt-Assertion"));
        assertThat(claims.get("email").asText()).isEqualTo(ALICE);
        assertThat(claims.get("sub").asText()).isEqualTo(ALICE);
        assertThat(claims.get("name").asText()).isEqualTo("Alice");
        assertThat(claims.get("groups").get(0).asText()).isEqualTo("family");

        Answer userPage = browser.get(fixture.url("app", "/.pomerium/"));
        assertThat(userPage.status()).isEqualTo(200);
        assertThat(userPage.body()).contains(ALICE);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        start();
        SignInClient browser = fixture.client();
        Answer page = signInPage(browser, fixture.url("app", "/"));

        Answer wrongPassword = fixture.postPassword(browser, page, ALICE, "not the password");
        Answer unknownUser = fixture.postPassword(browser, page, "nobody@example.com", ALICE_PASSWORD);

        for (Answer answer : List.of(wrongPassword, unknownUser)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("location")).isEmpty();
            assertThat(answer.body()).contains("The email address or password is not right.")
                    .contains("role=\"alert\"").doesNotContain("not the password");
        }
        assertThat(normalise(wrongPassword.body(), ALICE)).isEqualTo(normalise(unknownUser.body(), "nobody@example.com"));
        assertThat(wrongPassword.body()).contains("value=\"" + ALICE + "\"");

        // The form still works after refusals: the attempt is not used up.
        Answer posted = fixture.postPassword(browser, page, ALICE, ALICE_PASSWORD);
        assertThat(posted.status()).isEqualTo(302);
    }

    /** The page with what legitimately differs (the email typed, the request id) taken out. */
    private static String normalise(String page, String email) {
        return page.replace(email, "EMAIL").replaceAll("<code>[^<]*</code>", "<code>ID</code>")
                .replaceAll("data-options=\"[^\"]*\"", "data-options=\"OPTIONS\"")
                .replaceAll("name=\"ceremony\" value=\"[^\"]*\"", "name=\"ceremony\" value=\"CEREMONY\"");
    }

    @Test
    void aUserWithTotpGivesTheCodeAfterThePasswordAndTheCodeWorksOnce() throws Exception {
        start();
        SignInClient browser = fixture.client();
        Answer page = signInPage(browser, fixture.url("any", "/hello"));

        Answer codePage = fixture.postPassword(browser, page, BOB, BOB_PASSWORD);
        assertThat(codePage.status()).isEqualTo(200);
        assertThat(codePage.body()).contains("autocomplete=\"one-time-code\"", "inputmode=\"numeric\"",
                "action=\"/.pomerium/builtin/totp\"", "<label for=\"code\">");
        assertThat(hiddenFields(codePage.body())).containsOnlyKeys("ticket", "state", "nonce");

        String code = BuiltinSignInFixture.totp(TOTP_SECRET, Instant.now());
        Answer posted = fixture.postCode(browser, codePage, code);
        assertThat(posted.status()).isEqualTo(302);
        Answer reached = browser.open(posted.location());
        assertThat(reached.url()).isEqualTo(fixture.url("any", "/hello"));
        assertThat(claims(fixture.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).get("email").asText())
                .isEqualTo(BOB);

        // Someone who overheard the password and the code tries them again, in another browser.
        SignInClient other = fixture.client();
        Answer otherCodePage = fixture.postPassword(other, signInPage(other, fixture.url("any", "/")), BOB, BOB_PASSWORD);
        Answer replayed = fixture.postCode(other, otherCodePage, code);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("location")).isEmpty();
        assertThat(replayed.body()).contains("The code is not right, or it was used already.");
        assertThat(replayed.body()).contains("autocomplete=\"current-password\"");
    }

    @Test
    void aWrongCodeUsesTheTicketUp() throws Exception {
        start();
        SignInClient browser = fixture.client();
        Answer codePage = fixture.postPassword(browser, signInPage(browser, fixture.url("any", "/")), BOB, BOB_PASSWORD);
        String right = BuiltinSignInFixture.totp(TOTP_SECRET, Instant.now());
        String wrong = right.equals("000000") ? "111111" : "000000";

        assertThat(fixture.postCode(browser, codePage, wrong).body()).contains("The code is not right");
        Answer again = fixture.postCode(browser, codePage, right);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("The code is not right");
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefused() throws Exception {
        start();
        SignInClient victim = fixture.client();
        Answer page = signInPage(victim, fixture.url("app", "/"));
        Map<String, String> fields = hiddenFields(page.body());

        // No _pomerium_csrf cookie (a cross-site POST does not carry the SameSite=Lax cookie), even with
        // the right state and nonce, which another site could not know anyway.
        SignInClient attacker = fixture.client();
        Answer withoutCookie = fixture.postPassword(attacker, page, ALICE, ALICE_PASSWORD);
        assertThat(withoutCookie.status()).isEqualTo(400);
        assertThat(withoutCookie.header("location")).isEmpty();
        assertThat(withoutCookie.body()).doesNotContain("code=");

        // The victim's cookie, but a state of the attacker's making.
        Answer wrongState = victim.post(fixture.url("authenticate", "/.pomerium/builtin/sign_in"),
                BuiltinSignInFixture.encode(Map.of("state", "forged", "nonce", fields.get("nonce"),
                        "email", ALICE, "password", ALICE_PASSWORD)));
        assertThat(wrongState.status()).isEqualTo(400);
        assertThat(wrongState.header("location")).isEmpty();

        Answer codeWithoutCookie = attacker.post(fixture.url("authenticate", "/.pomerium/builtin/totp"),
                BuiltinSignInFixture.encode(Map.of("state", fields.get("state"), "nonce", fields.get("nonce"),
                        "ticket", "x", "code", "123456")));
        assertThat(codeWithoutCookie.status()).isEqualTo(400);
    }

    @Test
    void theSignInPageSendsCodesOnlyToTheCallback() throws Exception {
        start();
        SignInClient browser = fixture.client();
        Answer page = signInPage(browser, fixture.url("app", "/"));
        URI pageUrl = URI.create(page.url());
        String elsewhere = pageUrl.getRawQuery().replaceAll("redirect_uri=[^&]*",
                "redirect_uri=https%3A%2F%2Fevil.example%2Fsteal");

        Answer answer = browser.get(fixture.url("authenticate", "/.pomerium/builtin/sign_in?" + elsewhere));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("<form class=\"fields\"");

        Answer noAttempt = fixture.client().get(page.url());
        assertThat(noAttempt.status()).isEqualTo(400);
    }

    @Test
    void repeatedFailuresAreThrottledWith429AndRetryAfter() throws Exception {
        start();
        SignInClient browser = fixture.client();
        Answer page = signInPage(browser, fixture.url("app", "/"));

        Answer last = null;
        for (int i = 0; i < 10 && (last == null || last.status() != 429); i++) {
            last = fixture.postPassword(browser, page, ALICE, "guess " + i);
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("retry-after")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(last.body()).contains("Too many attempts").contains("Wait ").contains("then try again");
        assertThat(last.body()).contains("<form class=\"fields\"");
    }

    @Test
    void aUserRemovedFromTheFileIsSignedOutEverywhereWithinSeconds() throws Exception {
        start();
        SignInClient browser = fixture.client();
        Answer landed = fixture.signIn(browser, fixture.url("any", "/before"), ALICE, ALICE_PASSWORD);
        assertThat(landed.status()).isEqualTo(200);

        try (dev.portcullis.proxy.log.CapturedLog log = new dev.portcullis.proxy.log.CapturedLog()) {
            fixture.writeUsers(List.of(user(BOB, "Bob", List.of("family"), BOB_PASSWORD, Optional.of(TOTP_SECRET))));
            dev.portcullis.proxy.testing.Eventually.within(java.time.Duration.ofSeconds(10), log::all,
                    all -> all.contains("read again, 1 users"));
        }

        int before = fixture.upstream.requests().size();
        Answer route = browser.get(fixture.url("any", "/after"));
        assertThat(route.status()).as("the route session of a removed user").isEqualTo(302);
        assertThat(route.location()).contains("/.pomerium/sign_in");
        // the authenticate host's session does not hand a new route session out either: the sign-in page asks
        Answer again = signInPage(browser, fixture.url("app", "/after"));
        assertThat(again.body()).contains("action=\"/.pomerium/builtin/sign_in\"");
        assertThat(fixture.upstream.requests()).hasSize(before);
    }

    @Test
    void aUserAddedToTheFileWhileRunningCanSignInWithinSeconds() throws Exception {
        start();
        String carol = "carol@example.com";
        fixture.writeUsers(List.of(alice(), user(carol, "Carol", List.of(), "carol's password", Optional.empty())));

        Thread.sleep(UsersFileWatch.INTERVAL.toMillis() + 500);
        SignInClient browser = fixture.client();
        Answer page = signInPage(browser, fixture.url("any", "/"));
        Answer posted = fixture.postPassword(browser, page, carol, "carol's password");
        if (posted.status() != 302) { // the check may just have missed the write; the next one is 2 s later
            Thread.sleep(UsersFileWatch.INTERVAL.toMillis());
            posted = fixture.postPassword(browser, page, carol, "carol's password");
        }
        assertThat(posted.status()).isEqualTo(302);
        browser.open(posted.location());
        assertThat(claims(fixture.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).get("email").asText())
                .isEqualTo(carol);

        // Bob was removed by the rewrite.
        SignInClient other = fixture.client();
        assertThat(fixture.postPassword(other, signInPage(other, fixture.url("any", "/")), BOB, BOB_PASSWORD).body())
                .contains("The email address or password is not right.");
    }

    @Test
    void aMalformedRewriteIsRefusedAndTheLastGoodUsersStay() throws Exception {
        start();
        Files.writeString(fixture.usersFile, "users:\n  - email: mallory@example.com\n    pasword: x\n");

        Thread.sleep(UsersFileWatch.INTERVAL.toMillis() + 1000);
        SignInClient browser = fixture.client();
        Answer reached = fixture.signIn(browser, fixture.url("app", "/"), ALICE, ALICE_PASSWORD);
        assertThat(reached.status()).isEqualTo(200);
        assertThat(claims(fixture.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).get("email").asText())
                .isEqualTo(ALICE);
    }

    @Test
    void signOutWorksAsWithAnyProvider() throws Exception {
        start();
        SignInClient browser = fixture.client();
        fixture.signIn(browser, fixture.url("app", "/"), ALICE, ALICE_PASSWORD);

        Answer signedOut = browser.open(fixture.url("app", "/.pomerium/sign_out"));
        assertThat(signedOut.status()).isEqualTo(200);
        assertThat(signedOut.body()).contains("signed out");
        Matcher link = Pattern.compile("<a [^>]*href=\"([^\"]*)\"[^>]*>Sign in again</a>").matcher(signedOut.body());
        assertThat(link.find()).as("a sign-in-again link in %s", signedOut.body()).isTrue();
        String signInAgain = link.group(1).replace("&amp;", "&");
        List<Answer> again = browser.follow(signInAgain);
        assertThat(URI.create(again.get(again.size() - 1).url()).getPath()).isEqualTo("/.pomerium/builtin/sign_in");
        assertThat(again.get(again.size() - 1).body()).contains(URI.create(fixture.url("app", "/")).getHost());
    }
}
