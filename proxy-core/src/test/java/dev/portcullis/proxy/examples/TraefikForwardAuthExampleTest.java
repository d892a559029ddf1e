package dev.portcullis.proxy.examples;

import static dev.portcullis.proxy.examples.ExampleFiles.EXAMPLES;
import static dev.portcullis.proxy.examples.ExampleFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.EmulatedTraefik;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/traefik-forward-auth} as written: Portcullis from its {@code config.yaml} (secrets and
 * provider from the environment), Traefik from the labels of its {@code docker-compose.yml} and, as
 * well, from its file-provider {@code routes.yaml}. Traefik cannot be installed here, so it is
 * {@link EmulatedTraefik}: its forwardAuth middleware's exact request and answer handling, and
 * Docker's container names resolved to the test's servers. The whole sign-in goes through it; the
 * applications see who the user is and never a header the client forged; a refused user gets 403;
 * httpbin stays open.
 */
class TraefikForwardAuthExampleTest {
    private static final Path EXAMPLE = EXAMPLES.resolve("traefik-forward-auth");
    private TestIdentityProvider idp;
    private TestUpstream jaeger;
    private TestUpstream grafana;
    private TestUpstream httpbin;
    private RunningProxy portcullis;

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        jaeger = new TestUpstream("jaeger");
        grafana = new TestUpstream("grafana");
        httpbin = new TestUpstream("httpbin");
        int port = TestIdentityProvider.freePort();
        portcullis = RunningProxy.start(read(EXAMPLE.resolve("config.yaml")), ExampleFiles.environment(idp, port));
    }

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {portcullis, httpbin, grafana, jaeger, idp}) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing the others matters more
            }
        }
    }

    private Map<String, String> containers() {
        return Map.of("portcullis", "127.0.0.1:" + portcullis.port(), "jaeger", "127.0.0.1:" + jaeger.port(),
                "grafana", "127.0.0.1:" + grafana.port(), "httpbin", "127.0.0.1:" + httpbin.port());
    }

    @Test
    void dockerLabels() throws Exception {
        try (EmulatedTraefik traefik = EmulatedTraefik.start(
                TraefikConfiguration.fromCompose(read(EXAMPLE.resolve("docker-compose.yml"))), containers())) {
            signInThroughTraefik(traefik);
        }
    }

    @Test
    void fileProvider() throws Exception {
        try (EmulatedTraefik traefik = EmulatedTraefik.start(
                TraefikConfiguration.fromFileProvider(read(EXAMPLE.resolve("routes.yaml"))), containers())) {
            signInThroughTraefik(traefik);
        }
    }

    private SignInClient browser(EmulatedTraefik traefik) {
        SignInClient browser = new SignInClient(portcullis.port(), ".example.com");
        for (String host : List.of("auth", "jaeger", "grafana", "httpbin")) {
            browser.via(host + ".example.com", traefik.port());
        }
        return browser;
    }

    private void signInThroughTraefik(EmulatedTraefik traefik) throws Exception {
        assertThat(browser(traefik).get("https://httpbin.example.com/get").status()).isEqualTo(200);

        SignInClient me = browser(traefik);
        idp.nextUser("me", "me@example.com", List.of(), 3600);
        List<Answer> hops = me.follow("https://jaeger.example.com/search?service=traefik", "Remote-Groups", "admins",
                "X-Pomerium-Claim-Email", "admin@example.com");
        assertThat(hops.get(0).status()).as("Traefik passes Portcullis's 302 to sign in").isEqualTo(302);
        assertThat(hops.get(0).location()).startsWith("https://auth.example.com/.pomerium/sign_in?");
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.url()).isEqualTo("https://jaeger.example.com/search?service=traefik");
        TestUpstream.Recorded seen = jaeger.lastRequest();
        assertThat(seen.rawPath()).isEqualTo("/search?service=traefik");
        assertThat(seen.header("X-Pomerium-Jwt-Assertion")).isNotBlank();
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEqualTo("me@example.com");
        assertThat(seen.header("Remote-Groups")).as("in no group: the forged value is overwritten").isNullOrEmpty();
        assertThat(jaeger.requests()).noneMatch(request -> request.rawPath().startsWith("/.pomerium/"));

        Answer grafanaPage = me.open("https://grafana.example.com/", "Remote-User", "admin");
        assertThat(grafanaPage.status()).isEqualTo(200);
        assertThat(grafana.lastRequest().header("X-Pomerium-Claim-Email")).isEqualTo("me@example.com");
        assertThat(grafana.lastRequest().header("Remote-User")).isEqualTo("me@example.com");
        assertThat(grafana.lastRequest().header("Remote-Name")).isEqualTo("Me");

        SignInClient bob = browser(traefik);
        idp.nextUser("bob", "bob@example.com", List.of(), 3600);
        int before = jaeger.requests().size();
        assertThat(bob.open("https://jaeger.example.com/").status()).isEqualTo(403);
        assertThat(jaeger.requests()).hasSize(before);
    }
}
