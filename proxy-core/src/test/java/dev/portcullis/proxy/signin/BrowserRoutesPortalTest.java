package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.Browser;
import dev.portcullis.proxy.testing.SignInFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Issue 14, item 14, in a real browser (headless Chromium): the routes portal shows the person's routes as
 * links with their logos and descriptions, runs nothing a route's description holds, and each link opens
 * its route.
 */
class BrowserRoutesPortalTest {
    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target", "browser");

    private static SignInFixture fixture;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        fixture = SignInFixture.startWithRoutes(RoutesPortalTest.MORE_ROUTES);
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

    @Test
    void thePortalShowsTheRoutesAsLinksAndRunsNothingFromThem() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 3600);
        browser.open(fixture.url("app", "/.pomerium/routes"));
        browser.waitForText("Your routes");
        assertThat(browser.currentUrl()).isEqualTo(fixture.url("app", "/.pomerium/routes"));
        browser.screenshot(TARGET.resolve("routes-portal.png"));

        List<String> links = browser.findAll(By.cssSelector("ul.routes a")).stream()
                .map(a -> a.getText() + " " + a.getAttribute("href")).toList();
        assertThat(links).containsExactly(
                "app.test:" + fixture.port + " " + fixture.url("app", "/"),
                "other.test:" + fixture.port + " " + fixture.url("other", "/"),
                "public.test:" + fixture.port + " " + fixture.url("public", "/"),
                "Photos \"& films\" " + fixture.url("photos", "/"),
                "docs.test:" + fixture.port + "/manual/ " + fixture.url("docs", "/manual/"));
        assertThat(browser.text()).contains("<script>alert(1)</script> our <b>pictures</b>")
                .doesNotContain("bob.test").doesNotContain("readonly.test");
        assertThat(browser.script("return document.scripts.length")).isEqualTo(0L);
        WebElement logo = browser.find(By.cssSelector("ul.routes img"));
        assertThat(logo.getAttribute("src")).startsWith("data:image/svg+xml,");
        assertThat(browser.script("return arguments[0].complete && arguments[0].naturalWidth", logo))
                .as("the logo loads under the page's Content-Security-Policy").isEqualTo(8L);

        browser.click(By.linkText("public.test:" + fixture.port));
        browser.waitForUrl(url -> url.equals(fixture.url("public", "/")));
        assertThat(browser.source()).contains("\"path\"");
    }
}
