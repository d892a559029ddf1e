package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Synology guide's setup, with its environment variables unchanged and no configuration file:
 * {@code examples/synology/policy.yaml} as base64 {@code POLICY}, {@code INSECURE_SERVER=TRUE}
 * behind a TLS-terminating front proxy (DSM's nginx), https route and authenticate URLs. Only the
 * provider is an OpenID Connect one in-process instead of Google ({@code IDP_PROVIDER=oidc}).
 */
class SynologyGuideTest {
    private static final Path POLICY = Path.of(System.getProperty("basedir", "."), "..", "examples", "synology", "policy.yaml");

    @Test
    void theGuidesEnvironmentSignsInAndReachesHttpbin() throws Exception {
        try (TestIdentityProvider idp = new TestIdentityProvider(); TestUpstream httpbin = new TestUpstream("httpbin")) {
            int port = TestIdentityProvider.freePort();
            String policy = Files.readString(POLICY).replace("http://httpbin", httpbin.url());
            Map<String, String> environment = Map.of(
                    "ADDRESS", "127.0.0.1:" + port,
                    "INSECURE_SERVER", "TRUE",
                    "POLICY", Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                    "COOKIE_SECRET", "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=",
                    "SHARED_SECRET", "V5v7Q7pN3t1zq3cQm1Z3i1Qy0qj7g5l3Z1xH9m0cY2o=",
                    "IDP_PROVIDER", "oidc",
                    "IDP_PROVIDER_URL", idp.issuerUrl(),
                    "IDP_CLIENT_ID", TestIdentityProvider.CLIENT_ID,
                    "IDP_CLIENT_SECRET", TestIdentityProvider.CLIENT_SECRET,
                    "AUTHENTICATE_SERVICE_URL", "https://authenticate.int.nas.example");
            // The file is empty, as the container's baked-in /pomerium/config.yaml: everything comes from the environment.
            try (RunningProxy proxy = RunningProxy.start("# address: insecure_server: cookie_secret shared_secret (environment)\n",
                    environment)) {
                SignInClient browser = new SignInClient(port, ".int.nas.example");
                idp.nextUser("your.email.address", "your.email.address@gmail.com", List.of(), 3600);
                List<Answer> hops = browser.follow("https://httpbin.int.nas.example/get");
                assertThat(hops.get(0).location()).startsWith("https://authenticate.int.nas.example/.pomerium/sign_in?");
                Answer last = hops.get(hops.size() - 1);
                assertThat(last.status()).isEqualTo(200);
                assertThat(last.url()).isEqualTo("https://httpbin.int.nas.example/get");
                assertThat(hops).anySatisfy(hop -> assertThat(hop.headers("set-cookie"))
                        .anySatisfy(cookie -> assertThat(cookie).startsWith("_pomerium=").contains("Secure")));
                assertThat(httpbin.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();

                SignInClient stranger = new SignInClient(port, ".int.nas.example");
                idp.nextUser("someone", "someone.else@gmail.com", List.of(), 3600);
                assertThat(stranger.open("https://httpbin.int.nas.example/get").status()).isEqualTo(403);
                assertThat(stranger.get("https://other.int.nas.example/").status()).isEqualTo(404);
            }
        }
    }
}
