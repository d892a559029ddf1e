package dev.portcullis.proxy.examples;

import static dev.portcullis.proxy.examples.ExampleFiles.GUIDES;
import static dev.portcullis.proxy.examples.ExampleFiles.fill;
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
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The guide "pomerium traefik auth proxy" (../shared/guides/traefik-forward-auth-pomerium.md) as
 * written: its {@code config.yaml} (secrets, the client and the metrics port filled in; the provider,
 * Google, played by the in-process one through the environment) and the labels of its
 * {@code docker run} commands, served by {@link EmulatedTraefik} (Traefik cannot be installed here).
 * The flow it describes: Jaeger behind Traefik's forwardAuth with a fixed {@code ?uri=}, a sign-in
 * through {@code auth.example.com}, then Jaeger reached with {@code X-Pomerium-Jwt-Assertion};
 * another account refused; httpbin open.
 */
class TraefikForwardAuthGuideTest {
    private static final Path GUIDE = GUIDES.resolve("traefik-forward-auth");

    @Test
    @Disabled("until compatcfg merges: tracing_jaeger_agent_endpoint")
    void theGuidesConfigurationSignsInThroughTraefikAndReachesJaeger() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider(); TestUpstream jaeger = new TestUpstream("jaeger");
                TestUpstream httpbin = new TestUpstream("httpbin")) {
            int port = TestIdentityProvider.freePort();
            String config = fill(read(GUIDE.resolve("config.yaml")), "shared_secret: CHANGE_ME",
                    "shared_secret: " + ExampleFiles.SHARED_SECRET);
            config = fill(config, "cookie_secret: CHANGE_ME", "cookie_secret: " + RunningProxy.SECRET);
            config = fill(config, "idp_client_id: CHANGE_ME", "idp_client_id: " + TestIdentityProvider.CLIENT_ID);
            config = fill(config, "idp_client_secret: CHANGE_ME", "idp_client_secret: " + TestIdentityProvider.CLIENT_SECRET);
            config = fill(config, "metrics_address: \":9090\"", "metrics_address: \"127.0.0.1:" + TestIdentityProvider.freePort() + "\"");
            Map<String, String> environment = Map.of("ADDRESS", "127.0.0.1:" + port, "IDP_PROVIDER", "oidc",
                    "IDP_PROVIDER_URL", idp.issuerUrl());
            try (RunningProxy pomerium = RunningProxy.start(config, environment);
                    EmulatedTraefik traefik = EmulatedTraefik.start(
                            TraefikConfiguration.fromDockerRun(read(GUIDE.resolve("docker-run.sh"))),
                            Map.of("pomerium", "127.0.0.1:" + port, "jaeger", "127.0.0.1:" + jaeger.port(),
                                    "httpbin", "127.0.0.1:" + httpbin.port()))) {
                SignInClient me = browser(port, traefik);
                assertThat(me.get("https://httpbin.example.com/get").status()).isEqualTo(200);

                idp.nextUser("me", "me@example.com", List.of(), 3600);
                List<Answer> hops = me.follow("https://jaeger.example.com/");
                assertThat(hops.get(0).location()).startsWith("https://auth.example.com/.pomerium/sign_in?");
                Answer last = hops.get(hops.size() - 1);
                assertThat(last.status()).isEqualTo(200);
                assertThat(last.url()).isEqualTo("https://jaeger.example.com/");
                assertThat(jaeger.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();

                SignInClient other = browser(port, traefik);
                idp.nextUser("someone", "someone@example.com", List.of(), 3600);
                int before = jaeger.requests().size();
                assertThat(other.open("https://jaeger.example.com/").status()).isEqualTo(403);
                assertThat(jaeger.requests()).hasSize(before);
            }
        }
    }

    private static SignInClient browser(int port, EmulatedTraefik traefik) {
        SignInClient browser = new SignInClient(port, ".example.com");
        for (String host : List.of("auth", "jaeger", "httpbin")) {
            browser.via(host + ".example.com", traefik.port());
        }
        return browser;
    }
}
