package dev.portcullis.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The test browser works: a made-up host name reaches a local server on the test's port, page
 * text and title can be read, a form can be filled in and submitted, cookies can be read, and
 * screenshots are saved under {@code target/browser/}. One browser serves the whole class.
 */
class BrowserSelfTest {
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "browser");

    private static TestUpstream upstream;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("echo");
        browser = Browser.start();
        System.out.println("BrowserSelfTest: the browser started in " + browser.startTime().toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static String base() {
        return "http://app.test.example:" + upstream.port();
    }

    /** The last request for {@code rawPath} (Chromium also fetches /favicon.ico after each page). */
    private static TestUpstream.Recorded requestFor(String rawPath) {
        TestUpstream.Recorded found = null;
        for (TestUpstream.Recorded request : upstream.requests()) {
            if (request.rawPath().equals(rawPath)) {
                found = request;
            }
        }
        assertThat(found).as("a request for %s", rawPath).isNotNull();
        return found;
    }

    @Test
    void aMadeUpHostNameReachesTheLocalServerOnItsPort() throws Exception {
        browser.open(base() + "/hello?from=browser");

        assertThat(browser.currentUrl()).isEqualTo(base() + "/hello?from=browser");
        assertThat(browser.text()).contains("\"upstream\":\"echo\"").contains("/hello?from=browser");
        TestUpstream.Recorded request = requestFor("/hello?from=browser");
        assertThat(request.header("host")).isEqualTo("app.test.example:" + upstream.port());
        assertThat(request.header("accept")).contains("text/html");
        Path shot = browser.screenshot(SCREENSHOTS.resolve("self-test-echo.png"));
        assertThat(Files.readAllBytes(shot)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void aFormIsFilledInAndSubmitted() throws Exception {
        browser.open(base() + "/start");
        // The upstream serves no HTML; the page is given a form, posting to its own /upload (which answers the body's length).
        browser.script("document.title = 'Form'; document.body.innerHTML = arguments[0];",
                "<form id='f' method='post' action='/upload'><input id='q' name='q'><button id='go'>Send</button></form>");
        assertThat(browser.title()).isEqualTo("Form");

        browser.type(By.id("q"), "hello browser").submit(By.id("f")).waitForUrl(url -> url.endsWith("/upload"));

        assertThat(browser.text()).isEqualTo(String.valueOf("q=hello+browser".length()));
        TestUpstream.Recorded request = requestFor("/upload");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.header("origin")).isEqualTo(base());
    }

    @Test
    void aButtonIsClickedAndCookiesAreKeptPerHost() {
        browser.open(base() + "/cookies");
        browser.script("document.cookie = 'seen=yes; path=/';"
                + " document.body.innerHTML = \"<a id='next' href='/after'>next</a>\";");

        assertThat(browser.cookie("seen")).hasValueSatisfying(c -> assertThat(c.getValue()).isEqualTo("yes"));
        browser.click(By.id("next")).waitForUrl(url -> url.endsWith("/after"));
        assertThat(requestFor("/after").header("cookie")).isEqualTo("seen=yes");

        // Another made-up host on the same port is another site: the cookie stays behind.
        browser.open("http://other.test.example:" + upstream.port() + "/elsewhere");
        assertThat(browser.cookies()).isEmpty();
        assertThat(requestFor("/elsewhere").header("host")).isEqualTo("other.test.example:" + upstream.port());
        assertThat(requestFor("/elsewhere").header("cookie")).isNull();
    }

    @Test
    void aPhoneSizedWindowCanBeUsed() throws Exception {
        try {
            browser.resize(Browser.WindowSize.PHONE).open(base() + "/phone");
            assertThat(((Number) browser.script("return window.innerWidth;")).intValue()).isEqualTo(390);
            browser.screenshot(SCREENSHOTS.resolve("self-test-phone.png"));
        } finally {
            browser.resize(Browser.WindowSize.DESKTOP);
        }
    }
}
