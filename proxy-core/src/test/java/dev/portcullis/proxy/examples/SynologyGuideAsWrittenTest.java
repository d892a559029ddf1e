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
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pomerium's Synology guide (../shared/guides/synology-docker-pomerium.md) as written: its
 * {@code route.yaml} (only httpbin's address filled in) base64-encoded into {@code POLICY}, and the
 * environment of its table, names unchanged, with no configuration file; Google played by the
 * in-process provider ({@code IDP_PROVIDER=oidc}). In front, DSM's reverse proxy rule as the guide sets
 * it (HTTPS, any host, HTTP/2, HSTS, to {@code http://localhost:32443}), as DSM's nginx writes such a
 * rule. The flow the guide describes: httpbin sends the browser to sign in and then answers,
 * {@code /.pomerium/} shows the user, another account gets 403 and an unknown route 404.
 */
class SynologyGuideAsWrittenTest {
    @TempDir
    Path certificates;

    @Test
    void theGuidesEnvironmentBehindDsmSignsInAndReachesHttpbin() throws Exception {
        try (TestIdentityProvider google = new TestIdentityProvider(); TestUpstream httpbin = new TestUpstream("httpbin")) {
            int port = TestIdentityProvider.freePort();
            String route = fill(read(GUIDES.resolve("synology").resolve("route.yaml")), "http://httpbin", httpbin.url());
            Map<String, String> environment = Map.of(
                    "ADDRESS", "127.0.0.1:" + port,   // the container's port 443, published as 32443
                    "POLICY", Base64.getEncoder().encodeToString(route.getBytes(StandardCharsets.UTF_8)),
                    "INSECURE_SERVER", "TRUE",
                    "IDP_CLIENT_SECRET", TestIdentityProvider.CLIENT_SECRET,
                    "IDP_CLIENT_ID", TestIdentityProvider.CLIENT_ID,
                    "IDP_PROVIDER", "oidc",
                    "IDP_PROVIDER_URL", google.issuerUrl(),
                    "COOKIE_SECRET", RunningProxy.SECRET,
                    "AUTHENTICATE_SERVICE_URL", "https://authenticate.int.nas.example",
                    "SHARED_SECRET", ExampleFiles.SHARED_SECRET);
            TestTls.PemFiles pem = TestTls.write(certificates, "int.nas.example",
                    SelfSignedCertificate.generate(List.of("*.int.nas.example")));
            try (RunningProxy pomerium = RunningProxy.start("# the container's empty /pomerium/config.yaml\n", environment);
                    TestNginx dsm = TestNginx.start(dsmPort -> """
                            server {
                                listen 127.0.0.1:%d ssl http2;
                                server_name _;
                                ssl_certificate     %s;
                                ssl_certificate_key %s;
                                add_header Strict-Transport-Security "max-age=15768000; includeSubdomains; preload" always;
                                location / {
                                    proxy_set_header Host $http_host;
                                    proxy_set_header X-Real-IP $remote_addr;
                                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                                    proxy_set_header X-Forwarded-Proto $scheme;
                                    proxy_http_version 1.1;
                                    proxy_intercept_errors off;
                                    proxy_pass http://localhost:%d;
                                }
                            }
                            """.formatted(dsmPort, pem.certificate(), pem.key(), port))) {
                SignInClient me = browser(port, dsm);
                google.nextUser("your.email.address", "your.email.address@gmail.com", List.of(), 3600);
                List<Answer> hops = me.follow("https://httpbin.int.nas.example/headers");
                assertThat(hops.get(0).location()).startsWith("https://authenticate.int.nas.example/.pomerium/sign_in?");
                Answer last = hops.get(hops.size() - 1);
                assertThat(last.status()).as(dsm.errorLog()).isEqualTo(200);
                assertThat(last.url()).isEqualTo("https://httpbin.int.nas.example/headers");
                assertThat(httpbin.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
                Answer user = me.get("https://httpbin.int.nas.example/.pomerium/");
                assertThat(user.status()).isEqualTo(200);
                assertThat(user.body()).contains("your.email.address@gmail.com");

                SignInClient other = browser(port, dsm);
                google.nextUser("someone", "someone.else@gmail.com", List.of(), 3600);
                assertThat(other.open("https://httpbin.int.nas.example/headers").status()).isEqualTo(403);
                assertThat(other.get("https://wiki.int.nas.example/").status()).isEqualTo(404);
            }
        }
    }

    private static SignInClient browser(int port, TestNginx dsm) {
        SignInClient browser = new SignInClient(port, ".int.nas.example").overTls();
        for (String host : List.of("authenticate", "httpbin", "wiki")) {
            browser.via(host + ".int.nas.example", dsm.port());
        }
        return browser;
    }
}
