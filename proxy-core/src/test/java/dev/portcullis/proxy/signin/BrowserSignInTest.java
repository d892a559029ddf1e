package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.Browser;
import dev.portcullis.proxy.testing.SignInFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A real browser (headless Chromium) signs in through the proxy and a real OpenID Connect
 * provider, reads {@code /.pomerium/}, signs out, and is refused by a policy. Screenshots go to
 * {@code target/browser/}; with {@code -Dportcullis.screenshots=docs} also to {@code docs/img/}.
 */
class BrowserSignInTest {

    private static SignInFixture fixture;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        fixture = SignInFixture.start("");
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void noCookies() {
        browser.driver().executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    @Test
    void signsInReadsTheUserPageAndSignsOut() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family", "admins"), 3600);
        browser.open(fixture.url("app", "/hello?x=1"));
        assertThat(fixture.upstream.requests()).anySatisfy(r -> {
            assertThat(r.rawPath()).isEqualTo("/hello?x=1");
            assertThat(r.header("X-Pomerium-Jwt-Assertion")).isNotBlank();
        });
        assertThat(browser.cookie("_pomerium")).isPresent();

        // Opened from a page of the application, /.pomerium/ links back to that page (the browser's Referer).
        browser.driver().executeScript("window.location.href = '/.pomerium/'");
        browser.waitForText("alice@example.com");
        assertThat(browser.currentUrl()).isEqualTo(fixture.url("app", "/.pomerium/"));
        assertThat(browser.text()).contains("Alice").contains("admins").contains("family");
        assertThat(browser.driver().findElement(By.linkText("Back to " + fixture.authority("app"))).getAttribute("href"))
                .isEqualTo(fixture.url("app", "/hello?x=1"));
        browser.pageImage("user-page.png");

        browser.click(By.cssSelector("form[action='/.pomerium/sign_out'] button"));
        browser.waitForText("signed out");
        assertThat(browser.cookie("_pomerium")).isEmpty();
        browser.pageImage("signed-out-page.png");

        // Signed out: "Sign in again" leads back through sign-in (the provider signs in bob this time).
        fixture.idp.nextUser("bob", "bob@example.com", List.of(), 3600);
        browser.click(By.linkText("Sign in again"));
        browser.open(fixture.url("app", "/.pomerium/"));
        browser.waitForText("bob@example.com");
    }

    @Test
    void someoneThePolicyRefusesSeesTheForbiddenPage() throws Exception {
        fixture.idp.nextUser("bob", "bob@example.com", List.of("guests"), 3600);
        browser.open(fixture.url("app", "/admin"));
        browser.waitForText("Access denied");
        assertThat(browser.text()).contains("bob@example.com").contains("Sign in as someone else")
                .contains("You may not open " + fixture.authority("app"));
        browser.pageImage("forbidden-page.png");
    }
}
