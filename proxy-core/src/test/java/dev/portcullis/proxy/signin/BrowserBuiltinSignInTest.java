package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.Browser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A real browser (headless Chromium, the size of a phone) signs in with {@code idp_provider: builtin}:
 * the sign-in page focuses the email field, takes the keyboard, and after the password lands on
 * {@code /.pomerium/}. Screenshots go to {@code target/browser/}; with
 * {@code -Dportcullis.screenshots=docs} also to {@code docs/img/}.
 */
class BrowserBuiltinSignInTest {

    @TempDir
    Path dir;

    @AutoClose
    private BuiltinSignInFixture fixture;
    @AutoClose
    private Browser browser;

    @Test
    void signsInOnThePhoneSizedPageAndLandsOnTheUserPage() throws Exception {
        fixture = BuiltinSignInFixture.start(dir, List.of(BuiltinSignInFixture.alice()));
        browser = Browser.start(Browser.WindowSize.PHONE);

        browser.open(fixture.url("app", "/.pomerium/"));
        browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
        browser.waitForText("Sign in");
        WebElement focused = browser.driver().switchTo().activeElement();
        assertThat(focused.getAttribute("id")).isEqualTo("email");
        browser.pageImage("builtin-sign-in.png");

        // Keyboard only: type into the focused field, Tab to the password, Enter submits.
        focused.sendKeys(BuiltinSignInFixture.ALICE);
        browser.driver().switchTo().activeElement().sendKeys("\t");
        WebElement password = browser.driver().switchTo().activeElement();
        assertThat(password.getAttribute("id")).isEqualTo("password");
        password.sendKeys("a wrong guess\n");
        browser.waitForText("The email address or password is not right.");
        assertThat(browser.find(By.id("email")).getAttribute("value")).isEqualTo(BuiltinSignInFixture.ALICE);
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("password");
        browser.pageImage("builtin-sign-in-refused.png");

        browser.type(By.id("password"), BuiltinSignInFixture.ALICE_PASSWORD);
        browser.submit(By.id("password"));
        browser.waitForText(BuiltinSignInFixture.ALICE);
        assertThat(browser.currentUrl()).isEqualTo(fixture.url("app", "/.pomerium/"));
        assertThat(browser.text()).contains("Alice").contains("family");
        assertThat(browser.cookie("_pomerium")).isPresent();
    }

    @Test
    void signsInWithAPasswordAndATotpCode() throws Exception {
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DP";
        fixture = BuiltinSignInFixture.start(dir, List.of(BuiltinSignInFixture.user("carol@example.com", "Carol",
                List.of("family"), "carol's long password", java.util.Optional.of(secret))));
        browser = Browser.start(Browser.WindowSize.PHONE);

        browser.open(fixture.url("app", "/.pomerium/"));
        browser.waitForText("Sign in");
        browser.type(By.id("email"), "carol@example.com");
        browser.type(By.id("password"), "carol's long password");
        browser.submit(By.id("password"));
        browser.waitForUrl(url -> url.contains("/.pomerium/builtin/sign_in"));
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                .until(d -> !d.findElements(By.id("code")).isEmpty());
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("code");
        browser.pageImage("builtin-sign-in-code.png");
        browser.type(By.id("code"), BuiltinSignInFixture.totp(secret, java.time.Instant.now()));
        browser.submit(By.id("code"));
        browser.waitForText("carol@example.com");
        assertThat(browser.currentUrl()).isEqualTo(fixture.url("app", "/.pomerium/"));
        assertThat(browser.cookie("_pomerium")).isPresent();
    }
}
