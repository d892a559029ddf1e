package dev.portcullis.proxy.examples;

import static dev.portcullis.proxy.examples.ExampleFiles.EXAMPLES;
import static dev.portcullis.proxy.examples.ExampleFiles.fill;
import static dev.portcullis.proxy.examples.ExampleFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestCaddy;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/caddy-forward-auth} as written, with the system's Caddy: its {@code Caddyfile} with the
 * addresses filled in (each site on the test's port over plain HTTP, as TLS is Caddy's own business),
 * and its {@code config.yaml} with the secrets and the provider from the environment. Caddy's plain
 * {@code forward_auth} keeps the application's {@code Host}: the whole sign-in goes through it, the
 * application sees who the user is, a header a client forged never reaches it, and a refused user
 * gets 403.
 */
class CaddyForwardAuthExampleTest {
    private static final Path EXAMPLE = EXAMPLES.resolve("caddy-forward-auth");
    private static TestIdentityProvider idp;
    private static TestUpstream grafana;
    private static TestUpstream jaeger;
    private static RunningProxy portcullis;
    private static TestCaddy caddy;

    @BeforeAll
    static void start() throws Exception {
        idp = new TestIdentityProvider();
        grafana = new TestUpstream("grafana");
        jaeger = new TestUpstream("jaeger");
        int port = TestIdentityProvider.freePort();
        portcullis = RunningProxy.start(read(EXAMPLE.resolve("config.yaml")), ExampleFiles.environment(idp, port));
        String caddyfile = read(EXAMPLE.resolve("Caddyfile"));
        caddy = TestCaddy.start(caddyPort -> {
            String filled = fill(caddyfile, "portcullis:80", "127.0.0.1:" + port);
            filled = fill(filled, "grafana:3000", grafana.url().replace("http://", ""));
            filled = fill(filled, "jaeger:16686", jaeger.url().replace("http://", ""));
            for (String site : List.of("authenticate", "grafana", "jaeger")) {
                filled = fill(filled, "\n" + site + ".example.com {", "\nhttp://" + site + ".example.com:" + caddyPort + " {");
            }
            return filled;
        });
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {caddy, portcullis, jaeger, grafana, idp}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the others matters more
            }
        }
    }

    private static SignInClient browser() {
        SignInClient browser = new SignInClient(portcullis.port(), ".example.com");
        for (String host : List.of("authenticate.example.com", "grafana.example.com", "jaeger.example.com")) {
            browser.via(host, caddy.port());
        }
        return browser;
    }

    @Test
    void signInThroughCaddyThenTheApplicationSeesWhoItIsAndNoForgedHeader() throws Exception {
        SignInClient me = browser();
        idp.nextUser("me", "me@example.com", List.of(), 3600);
        List<Answer> hops = me.follow("https://grafana.example.com/d/home?orgId=1", "Remote-User", "admin",
                "Remote-Groups", "admins", "X-Pomerium-Claim-Email", "admin@example.com");
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).as(caddy.log()).isEqualTo(200);
        assertThat(last.url()).isEqualTo("https://grafana.example.com/d/home?orgId=1");
        assertThat(hops.get(0).status()).as("Caddy passes Portcullis's 302 to sign in").isEqualTo(302);
        assertThat(hops.get(0).location()).startsWith("https://authenticate.example.com/.pomerium/sign_in?");

        TestUpstream.Recorded seen = grafana.lastRequest();
        assertThat(seen.rawPath()).isEqualTo("/d/home?orgId=1");
        assertThat(seen.header("X-Pomerium-Jwt-Assertion")).isNotBlank();
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEqualTo("me@example.com");
        assertThat(seen.header("Remote-User")).isEqualTo("me@example.com");
        assertThat(seen.header("Remote-Email")).isEqualTo("me@example.com");
        assertThat(seen.header("Remote-Name")).isEqualTo("Me");
        assertThat(seen.header("Remote-Groups")).as("in no group: the forged value is overwritten").isNullOrEmpty();
        assertThat(grafana.requests()).noneMatch(request -> request.rawPath().startsWith("/.pomerium/"));

        // Signed in on one host, the other asks to sign in again and comes back signed in.
        Answer jaegerPage = me.open("https://jaeger.example.com/search");
        assertThat(jaegerPage.status()).isEqualTo(200);
        assertThat(jaeger.lastRequest().header("X-Pomerium-Claim-Email")).isEqualTo("me@example.com");
    }

    @Test
    void aStrangerIsSentToSignInAndSomeoneElseIsRefused() throws Exception {
        SignInClient api = browser().accept("application/json");
        Answer unauthenticated = api.get("https://grafana.example.com/api/health");
        assertThat(unauthenticated.status()).isEqualTo(401);

        SignInClient bob = browser();
        idp.nextUser("bob", "bob@example.com", List.of(), 3600);
        int before = grafana.requests().size();
        Answer refused = bob.open("https://grafana.example.com/admin", "Remote-User", "me@example.com");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("bob@example.com");
        assertThat(grafana.requests()).hasSize(before);
    }

    @Test
    void checkHeadersSentStraightToPortcullisAreAnsweredNeverForwarded() throws Exception {
        // A client that reaches Portcullis itself with the shape of a check gets an answer, never the application.
        SignInClient direct = new SignInClient(portcullis.port(), ".example.com");
        Answer answer = direct.get("https://grafana.example.com/", "X-Forwarded-Uri", "/admin", "X-Forwarded-Method", "GET",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "grafana.example.com", "X-Forwarded-For", "192.0.2.1");
        assertThat(answer.status()).isEqualTo(302);
        Answer noHost = direct.get("https://grafana.example.com/", "X-Forwarded-Uri", "/admin", "X-Forwarded-For", "192.0.2.1");
        assertThat(noHost.status()).as("a check that names no URL").isEqualTo(400);
        Answer otherHost = direct.get("https://grafana.example.com/", "X-Forwarded-Uri", "/search",
                "X-Forwarded-Host", "jaeger.example.com", "X-Forwarded-For", "192.0.2.1");
        assertThat(otherHost.status()).as("a check on one host about another").isEqualTo(400);
        Answer untrusted = direct.get("https://grafana.example.com/", "X-Forwarded-Uri", "/admin",
                "X-Forwarded-Host", "grafana.example.com");
        assertThat(untrusted.status()).as("not through the one trusted hop: nothing forwarded is believed").isEqualTo(400);
        // The key set is a 200 of its own: asked about through Caddy, it must not let the request on to Grafana.
        assertThat(direct.get("https://grafana.example.com/.well-known/pomerium/jwks.json").status()).isEqualTo(200);
        Answer ownPageThroughCaddy = browser().get("https://grafana.example.com/.well-known/pomerium/jwks.json");
        assertThat(ownPageThroughCaddy.status()).as("a check of the proxy's own page is no pass").isEqualTo(404);
        assertThat(grafana.requests()).noneMatch(request -> request.rawPath().startsWith("/.well-known/"));
    }
}
