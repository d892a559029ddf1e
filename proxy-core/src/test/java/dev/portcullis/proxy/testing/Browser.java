package dev.portcullis.proxy.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * A real, headless Chromium driven through chromedriver, for tests that need what only a browser
 * does: follow redirects across hosts, keep cookies per host, submit forms, run the pages' scripts.
 *
 * <p>Every host name resolves to 127.0.0.1 ({@code --host-resolver-rules=MAP * 127.0.0.1}), so a
 * test opens {@code http://app.test.example:PORT/} and reaches its own server on that port with
 * that {@code Host}. Certificate errors are ignored (test certificates are self-signed).
 *
 * <p>The browser and driver are {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, or
 * {@code chromium}/{@code chromium-browser} and {@code chromedriver} found on the {@code PATH}; they
 * are named explicitly so that Selenium Manager (which would try to download them) never runs.
 * When either is missing, {@link #start} fails the test with how to install them, or skips it when
 * the environment variable {@code PORTCULLIS_SKIP_BROWSER=1} is set.
 *
 * <p>Chromium also asks each new host for {@code /favicon.ico} after a page loads, so a test
 * looks the requests its server received up by path rather than taking the last one.
 *
 * <p>A start costs one to two seconds; share one browser per test class where the tests allow it.
 */
public final class Browser implements AutoCloseable {
    /** Environment variable that turns a missing browser into a skipped test instead of a failure. */
    public static final String SKIP_VARIABLE = "PORTCULLIS_SKIP_BROWSER";

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "browser");
    private static final Path DOCS_IMAGES = Path.of(System.getProperty("basedir", "."), "..", "docs", "img");
    /**
     * Held so that its level stays set (the JDK keeps loggers weakly): Selenium warns on every
     * start when its DevTools bindings are older than the browser, which this class never uses.
     */
    private static final Logger CDP_VERSION_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        // Passed by Selenium to Selenium Manager's environment, should anything ever start it.
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("SE_OFFLINE", "true");
        CDP_VERSION_LOG.setLevel(Level.SEVERE);
    }

    /** The window: a laptop screen, or a phone held upright. */
    public enum WindowSize {
        DESKTOP(1280, 900),
        PHONE(390, 844);

        private final int width;
        private final int height;

        WindowSize(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    private final ChromeDriver driver;
    private final Duration startTime;

    private Browser(ChromeDriver driver, Duration startTime) {
        this.driver = driver;
        this.startTime = startTime;
    }

    /** Starts a browser with a desktop-size window. */
    public static Browser start() {
        return start(WindowSize.DESKTOP);
    }

    /** Starts a browser with a window of {@code size}. */
    public static Browser start(WindowSize size) {
        requireNonNull(size, "size");
        Path chromium = find(List.of("/usr/bin/chromium"), List.of("chromium", "chromium-browser"));
        Path chromedriver = find(List.of("/usr/bin/chromedriver"), List.of("chromedriver"));
        if (chromium == null || chromedriver == null) {
            String missing = (chromium == null ? "chromium" : "") + (chromium == null && chromedriver == null ? " and " : "")
                    + (chromedriver == null ? "chromedriver" : "");
            String message = missing + " not found (looked in /usr/bin and on the PATH): the browser tests need"
                    + " chromium and chromedriver; install them with \"apt-get install chromium chromium-driver\""
                    + " (CI's .ci/run does),"
                    + " or set " + SKIP_VARIABLE + "=1 to skip these tests";
            Assumptions.assumeFalse("1".equals(System.getenv(SKIP_VARIABLE)), message);
            Assertions.fail(message);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--host-resolver-rules=MAP * 127.0.0.1",
                        "--ignore-certificate-errors",
                        "--window-size=" + size.width + "," + size.height,
                        "--disable-gpu",
                        "--no-first-run",
                        "--no-default-browser-check",
                        // No internet here: nothing in the background should try to reach Google.
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        long started = System.nanoTime();
        ChromeDriver driver = new ChromeDriver(service, options);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        return new Browser(driver, took);
    }

    private static Path find(List<String> fixed, List<String> names) {
        for (String candidate : fixed) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String name : names) {
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
        }
        return null;
    }

    /** How long starting chromedriver and the browser took. */
    public Duration startTime() {
        return startTime;
    }

    /** Opens {@code url} and waits until the page has loaded. */
    public Browser open(String url) {
        driver.get(requireNonNull(url, "url"));
        return this;
    }

    /** The visible text of the page's body. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String title() {
        return driver.getTitle();
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** The page's HTML as the browser holds it now. */
    public String source() {
        return driver.getPageSource();
    }

    /** The first element {@code by} finds, waiting up to 10 seconds for it to appear. */
    public WebElement find(By by) {
        return new WebDriverWait(driver, WAIT).until(d -> d.findElement(by));
    }

    /** Every element {@code by} finds now (no waiting). */
    public List<WebElement> findAll(By by) {
        return new ArrayList<>(driver.findElements(by));
    }

    /** Clicks the element {@code by} finds, once it is visible and enabled. */
    public Browser click(By by) {
        new WebDriverWait(driver, WAIT).until(d -> {
            WebElement element = d.findElement(by);
            return element.isDisplayed() && element.isEnabled() ? element : null;
        }).click();
        return this;
    }

    /** Replaces what the field {@code by} finds holds with {@code text}. */
    public Browser type(By by, String text) {
        WebElement field = find(by);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    /** Submits the form that {@code by} finds (or the form of the element it finds), as Enter would. */
    public Browser submit(By by) {
        find(by).submit();
        return this;
    }

    /** Waits up to 10 seconds until the current URL satisfies {@code condition}. */
    public Browser waitForUrl(Predicate<String> condition) {
        new WebDriverWait(driver, WAIT).until(d -> condition.test(d.getCurrentUrl()));
        return this;
    }

    /**
     * Waits up to 10 seconds until the page's text contains {@code text}. A page replaced while it
     * is read (a redirect or form submission still under way, which Chromium may also report as a node
     * that "does not belong to the document") is read again. Fails saying where the browser is and what
     * it shows.
     */
    public Browser waitForText(String text) {
        try {
            new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).ignoring(WebDriverException.class)
                    .until(d -> d.findElement(By.tagName("body")).getText().contains(text));
        } catch (TimeoutException e) {
            throw new AssertionError("waiting for \"" + text + "\" at " + currentUrl() + ":\n" + text(), e);
        }
        return this;
    }

    /** The cookies the browser would send to the current page's URL. */
    public Set<Cookie> cookies() {
        return driver.manage().getCookies();
    }

    public Optional<Cookie> cookie(String name) {
        return Optional.ofNullable(driver.manage().getCookieNamed(requireNonNull(name, "name")));
    }

    /** Runs {@code script} in the page; {@code arguments[i]} holds {@code args[i]}. */
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Resizes the window, e.g. to see a page as a phone shows it. */
    public Browser resize(WindowSize size) {
        driver.manage().window().setSize(new Dimension(size.width, size.height));
        return this;
    }

    /**
     * Saves a PNG of the window as {@code target/browser/NAME} and, with {@code -Dportcullis.screenshots=docs}, also
     * as {@code docs/img/NAME}: the pictures the documentation shows are taken by the tests.
     */
    public Path pageImage(String name) throws IOException {
        Path file = screenshot(SCREENSHOTS.resolve(name));
        if ("docs".equals(System.getProperty("portcullis.screenshots"))) {
            Files.createDirectories(DOCS_IMAGES);
            Files.copy(file, DOCS_IMAGES.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /**
     * Gives the browser a platform authenticator, as a phone or laptop has: resident keys (passkeys), user
     * verification that succeeds, consent given. Passkeys need a secure origin: {@code https}, or {@code *.localhost}.
     */
    public VirtualAuthenticator addPlatformAuthenticator() {
        return driver.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    /** Saves a PNG of the window at {@code file}, creating its directory. */
    public Path screenshot(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The underlying driver, for what this class does not offer. */
    public ChromeDriver driver() {
        return driver;
    }

    /** Quits the browser and stops chromedriver. */
    @Override
    public void close() {
        driver.quit();
    }
}
