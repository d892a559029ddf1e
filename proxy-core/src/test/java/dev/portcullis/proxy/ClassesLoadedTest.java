package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.proxy.cli.Main;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the proxy does not load, in a JVM of its own as a container starts it (the bundled logging, the built-in
 * provider): memory on a NAS is class metadata, and these libraries are loaded only when a feature asks for them
 * (docs/performance.md). Jackson's databind, logstash's encoder, Logback's XML configuration and the JDK's XML parser
 * are not needed to log or to answer pages; webauthn4j and the Jackson 3 it brings only at a passkey ceremony, not to
 * offer passkeys on the sign-in page.
 */
class ClassesLoadedTest {
    private static final List<String> NOT_LOADED = List.of(
            "com.fasterxml.jackson.databind.", "net.logstash.logback.encoder.", "net.logstash.logback.composite.",
            "ch.qos.logback.core.model.", "ch.qos.logback.classic.joran.", "com.sun.org.apache.xerces.",
            "tools.jackson.", "com.webauthn4j.converter.", "com.webauthn4j.WebAuthnManager");
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\] (\\S+) source:");
    private static final Pattern LOCATION = Pattern.compile("(?im)^location: *http://([^/\\s]+)(\\S*)$");
    /** A cookie set (not one cleared with {@code Max-Age=0}): its {@code name=value}. */
    private static final Pattern SET_COOKIE = Pattern.compile("(?im)^set-cookie: *([^;\\s]+)(?![^\\r\\n]*Max-Age=0)");

    @TempDir
    Path dir;

    @Test
    void servingPagesAndTheSignInPageLoadsNeitherDatabindNorJoranNorWebauthn4j() throws Exception {
        int port = TestIdentityProvider.freePort();
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, "users:\n  - email: alice@example.com\n    password: \""
                + PasswordHasher.hash("correct horse battery".toCharArray()) + "\"\n");
        Path classes = dir.resolve("classes.log");
        try (TestUpstream upstream = new TestUpstream("app")) {
            Files.writeString(dir.resolve("config.yaml"), String.join("\n",
                    "address: 127.0.0.1:" + port,
                    "insecure_server: true",
                    "cookie_secret: 4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=",
                    "shared_secret: V5v7Q7pN3t1zq3cQm1Z3i1Qy0qj7g5l3Z1xH9m0cY2o=",
                    "authenticate_service_url: http://auth.localhost:" + port,
                    "idp_provider: builtin",
                    "builtin_users_file: " + users,
                    "routes:",
                    "  - from: http://public.localhost",
                    "    to: " + upstream.url(),
                    "    allow_public_unauthenticated_access: true",
                    "  - from: http://private.localhost",
                    "    to: " + upstream.url(),
                    "    policy: [{allow: {or: [{email: {is: alice@example.com}}]}}]",
                    ""));
            Process proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classes, "-cp", mainClassPath(), Main.class.getName(),
                    "--config", dir.resolve("config.yaml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("proxy.log").toFile()).start();
            try {
                awaitPing(proxy, port);
                assertThat(get(port, "public.localhost", "/", "text/html").status()).isEqualTo(200);
                assertThat(get(port, "nowhere.localhost", "/", "text/html").status()).isEqualTo(404);
                assertThat(get(port, "nowhere.localhost", "/", "application/json").status()).isEqualTo(404);
                // A browser's way to the sign-in page: redirects, with the cookies each host sets.
                Map<String, List<String>> cookies = new HashMap<>();
                String host = "private.localhost:" + port;
                StringBuilder trace = new StringBuilder();
                RawHttp.Answer page = get(port, host, "/", "text/html", "");
                for (int hop = 0; page.status() == 302 && hop < 4; hop++) {
                    Matcher set = SET_COOKIE.matcher(page.text());
                    while (set.find()) {
                        cookies.computeIfAbsent(host, h -> new ArrayList<>()).add(set.group(1));
                    }
                    Matcher next = LOCATION.matcher(page.text());
                    assertThat(next.find()).as(page.text()).isTrue();
                    host = next.group(1);
                    trace.append(page.text(), 0, page.text().indexOf("\r\n\r\n")).append("\n\n");
                    page = get(port, host, next.group(2), "text/html", String.join("; ", cookies.getOrDefault(host, List.of())));
                }
                assertThat(page.status()).as(trace + page.text()).isEqualTo(200);
                assertThat(page.text()).as("the sign-in page offers passkeys").contains("allowCredentials");
            } finally {
                proxy.destroy();
                proxy.waitFor(20, TimeUnit.SECONDS);
            }
        }

        List<String> loaded = new ArrayList<>();
        try (Stream<String> lines = Files.lines(classes)) {
            lines.map(LOADED::matcher).filter(Matcher::find).forEach(m -> loaded.add(m.group(1)));
        }
        assertThat(loaded).as("classes loaded").contains(Main.class.getName(), "com.fasterxml.jackson.core.JsonGenerator");
        assertThat(loaded).filteredOn(name -> NOT_LOADED.stream().anyMatch(name::startsWith)).isEmpty();
    }

    /**
     * The main classes and the libraries of this test's class path, without the test classes and test jars: their
     * {@code logback-test.xml} would replace the bundled logging, as no jar of the proxy has one.
     */
    private static String mainClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void awaitPing(Process proxy, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(proxy.isAlive()).as("the proxy is running").isTrue();
            try {
                if (get(port, "localhost", "/ping", "*/*").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the proxy did not answer /ping within 60 s");
    }

    private static RawHttp.Answer get(int port, String host, String path, String accept) throws IOException {
        return get(port, host, path, accept, "");
    }

    private static RawHttp.Answer get(int port, String host, String path, String accept, String cookies)
            throws IOException {
        return RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: " + accept
                + (cookies.isEmpty() ? "" : "\r\nCookie: " + cookies) + "\r\nConnection: close\r\n\r\n");
    }
}
