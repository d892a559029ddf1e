package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a newcomer meets it: {@code examples/quickstart/config.yaml} (its
 * ports moved to free ones) with the built-in provider and the committed demo users file, and
 * {@code examples/quickstart/HeadersUpstream.java} started exactly as the README says, with the JDK's
 * source launcher. The demo user signs in with the password the README prints and sees the headers
 * page with their assertion.
 */
class QuickstartTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").toAbsolutePath().normalize();
    private static final Path QUICKSTART = ROOT.resolve("examples/quickstart");
    private static final String DEMO = "demo@example.com";

    private static Process upstream;
    private static RunningProxy proxy;
    private static String demoPassword;

    @BeforeAll
    static void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        upstream = new ProcessBuilder(java, "examples/quickstart/HeadersUpstream.java", "0")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        Matcher listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/").matcher(String.valueOf(line));
        assertThat(listening.find()).as("HeadersUpstream's first line: %s", line).isTrue();
        int upstreamPort = Integer.parseInt(listening.group(1));

        int port = TestIdentityProvider.freePort();
        String config = Files.readString(QUICKSTART.resolve("config.yaml"))
                .replace("127.0.0.1:8081", "127.0.0.1:" + upstreamPort)
                .replace("127.0.0.1:8080", "127.0.0.1:" + port)
                .replace("auth.localhost:8080", "auth.localhost:" + port);
        // The file names the users file relative to the repository root, where the README's command runs.
        proxy = RunningProxy.start(config, Map.of("BUILTIN_USERS_FILE", QUICKSTART.resolve("users.yaml").toString()));

        demoPassword = UsersFileWatch.demoPassword(Files.readString(QUICKSTART.resolve("users.yaml"))).orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.destroy();
            upstream.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String url(String host, String path) {
        return "http://" + host + ".localhost:" + proxy.port() + path;
    }

    @Test
    void theDemoUserSignsInAndSeesTheAssertionOnTheHeadersPage() throws Exception {
        SignInClient browser = new SignInClient(proxy.port(), ".localhost");
        List<Answer> hops = browser.follow(url("private", "/"));
        Answer page = hops.get(hops.size() - 1);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.url()).startsWith(url("auth", "/.pomerium/builtin/sign_in?"));

        Map<String, String> form = BuiltinSignInFixture.hiddenFields(page.body());
        form.put("email", DEMO);
        form.put("password", demoPassword);
        Answer posted = browser.post(url("auth", "/.pomerium/builtin/sign_in"), BuiltinSignInFixture.encode(form));
        assertThat(posted.status()).as(posted.body()).isEqualTo(302);
        Answer headers = browser.open(URI.create(posted.url()).resolve(posted.location()).toString());

        assertThat(headers.status()).isEqualTo(200);
        assertThat(headers.url()).isEqualTo(url("private", "/"));
        assertThat(headers.body()).contains("Headers the upstream received")
                .contains("<th>X-pomerium-jwt-assertion</th>")
                .contains("Paste it into a JWT decoder")
                .contains("&quot;email&quot;:&quot;" + DEMO + "&quot;");
    }

    @Test
    void theDemoUserIsRefusedOnTheAdminRouteWithTheHostAsTyped() throws Exception {
        SignInClient browser = new SignInClient(proxy.port(), ".localhost");
        List<Answer> hops = browser.follow(url("admin", "/"));
        Answer page = hops.get(hops.size() - 1);
        Map<String, String> form = BuiltinSignInFixture.hiddenFields(page.body());
        form.put("email", DEMO);
        form.put("password", demoPassword);
        Answer posted = browser.post(url("auth", "/.pomerium/builtin/sign_in"), BuiltinSignInFixture.encode(form));
        Answer refused = browser.open(URI.create(posted.url()).resolve(posted.location()).toString());

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("You may not open <strong>admin.localhost:" + proxy.port() + "</strong>.")
                .contains(DEMO).contains("email-unauthorized").contains("Sign in as someone else");
    }

    @Test
    void thePublicRouteReachesTheUpstreamWithoutSignIn() throws Exception {
        SignInClient browser = new SignInClient(proxy.port(), ".localhost");
        Answer answer = browser.get(url("public", "/"));
        assertThat(answer.status()).isEqualTo(200);
        // no session on that host: Pomerium's assertion of no one
        assertThat(answer.body()).contains("Headers the upstream received").contains("&quot;sub&quot;:&quot;&quot;")
                .contains("&quot;email&quot;:&quot;&quot;");
        assertThat(answer.body()).contains("X-forwarded-for");

        assertThat(browser.get(url("hello", "/")).body()).startsWith("Hello from Portcullis");
    }

    @Test
    void theDemoPasswordIsPrintedInBothReadmesAndMarkedAsADemo() throws Exception {
        for (Path readme : List.of(ROOT.resolve("README.md"), QUICKSTART.resolve("README.md"))) {
            String text = Files.readString(readme);
            assertThat(text).as(readme.toString()).contains(demoPassword).contains(DEMO).containsIgnoringCase("demo");
        }
        assertThat(Files.readString(QUICKSTART.resolve("config.yaml"))).contains(demoPassword);
    }
}
