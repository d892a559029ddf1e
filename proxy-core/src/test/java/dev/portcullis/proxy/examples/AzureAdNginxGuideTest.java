package dev.portcullis.proxy.examples;

import static dev.portcullis.proxy.examples.ExampleFiles.GUIDES;
import static dev.portcullis.proxy.examples.ExampleFiles.fill;
import static dev.portcullis.proxy.examples.ExampleFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestNginx;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide "Securing access to internal resources using an Identity-Aware Proxy"
 * (../shared/guides/azure-ad-nginx-pomerium.md) as written: its {@code policy.yaml} (only the
 * containers' addresses filled in) base64-encoded into {@code POLICY}, the in-process OpenID Connect
 * provider standing in for Azure AD ({@code IDP_PROVIDER=oidc}: the {@code azure} preset's own
 * parameters, such as {@code prompt=select_account}, are the identity provider tests' concern), and nginx ending TLS in front, sending every service's host to the
 * proxy (the guide gives no nginx file: this is the usual {@code proxy_pass} block). The flow it
 * describes: opening a service sends the browser to sign in, and after sign-in the user reaches the
 * service; each user only the service the policy names.
 */
class AzureAdNginxGuideTest {
    @TempDir
    Path certificates;

    @Test
    void eachUserSignsInThroughNginxAndReachesOnlyTheirService() throws Exception {
        try (TestIdentityProvider entra = new TestIdentityProvider(); TestUpstream app1 = new TestUpstream("app1");
                TestUpstream app2 = new TestUpstream("app2")) {
            int port = TestIdentityProvider.freePort();
            String policy = fill(read(GUIDES.resolve("azure-ad-nginx").resolve("policy.yaml")),
                    "http://app1containername:port", app1.url());
            policy = fill(policy, "http://app2containername", app2.url());
            Map<String, String> environment = Map.of(
                    "ADDRESS", "127.0.0.1:" + port,
                    "INSECURE_SERVER", "true",
                    "POLICY", Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)),
                    "AUTHENTICATE_SERVICE_URL", "https://authenticate.external.domain",
                    "IDP_PROVIDER", "oidc",
                    "IDP_PROVIDER_URL", entra.issuerUrl(),
                    "IDP_CLIENT_ID", TestIdentityProvider.CLIENT_ID,
                    "IDP_CLIENT_SECRET", TestIdentityProvider.CLIENT_SECRET,
                    "COOKIE_SECRET", RunningProxy.SECRET,
                    "SHARED_SECRET", ExampleFiles.SHARED_SECRET);
            TestTls.PemFiles pem = TestTls.write(certificates, "external.domain",
                    SelfSignedCertificate.generate(List.of("*.external.domain")));
            try (RunningProxy pomerium = RunningProxy.start("# everything from the environment\n", environment);
                    TestNginx nginx = TestNginx.start(nginxPort -> """
                            server {
                                listen 127.0.0.1:%d ssl http2;
                                server_name app1.external.domain app2.external.domain authenticate.external.domain;
                                ssl_certificate     %s;
                                ssl_certificate_key %s;
                                location / {
                                    proxy_pass http://127.0.0.1:%d;
                                    proxy_set_header Host $host;
                                    proxy_set_header X-Forwarded-Proto $scheme;
                                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                                }
                            }
                            """.formatted(nginxPort, pem.certificate(), pem.key(), port))) {
                SignInClient user1 = browser(port, nginx);
                entra.nextUser("user1", "user1@azuread.domain", List.of(), 3600);
                List<Answer> hops = user1.follow("https://app1.external.domain/");
                assertThat(hops.get(0).location()).startsWith("https://authenticate.external.domain/.pomerium/sign_in?");
                Answer last = hops.get(hops.size() - 1);
                assertThat(last.status()).as(nginx.errorLog()).isEqualTo(200);
                assertThat(last.url()).isEqualTo("https://app1.external.domain/");
                assertThat(app1.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
                assertThat(user1.open("https://app2.external.domain/").status()).isEqualTo(403);

                SignInClient user2 = browser(port, nginx);
                entra.nextUser("user2", "user2@azuread.domain", List.of(), 3600);
                assertThat(user2.open("https://app2.external.domain/").status()).isEqualTo(200);
                assertThat(app2.requests()).hasSize(1);
            }
        }
    }

    private static SignInClient browser(int port, TestNginx nginx) {
        SignInClient browser = new SignInClient(port, ".external.domain").overTls();
        for (String host : List.of("authenticate", "app1", "app2")) {
            browser.via(host + ".external.domain", nginx.port());
        }
        return browser;
    }
}
