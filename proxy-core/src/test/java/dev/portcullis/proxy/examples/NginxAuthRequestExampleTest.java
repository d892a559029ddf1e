package dev.portcullis.proxy.examples;

import static dev.portcullis.proxy.examples.ExampleFiles.EXAMPLES;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/nginx-auth-request} as written, with the system's nginx ending TLS: its
 * {@code portcullis.conf} with the listening port, a certificate and the addresses filled in, and its
 * {@code config.yaml} with the secrets and the provider (Entra ID, played by the in-process one) from
 * the environment. The whole sign-in goes through nginx ({@code error_page 401 =302} to the
 * {@code Location} of Portcullis's 401), then the application sees who the user is, never a header
 * the client forged, and a refused user gets nginx's 403.
 */
class NginxAuthRequestExampleTest {
    private static final Path EXAMPLE = EXAMPLES.resolve("nginx-auth-request");
    @TempDir
    static Path certificates;
    private static TestIdentityProvider idp;
    private static TestUpstream code;
    private static RunningProxy portcullis;
    private static TestNginx nginx;

    @BeforeAll
    static void start() throws Exception {
        idp = new TestIdentityProvider();
        code = new TestUpstream("code-server");
        int port = TestIdentityProvider.freePort();
        portcullis = RunningProxy.start(read(EXAMPLE.resolve("config.yaml")), ExampleFiles.environment(idp, port));
        TestTls.PemFiles pem = TestTls.write(Files.createDirectories(certificates), "example.com",
                SelfSignedCertificate.generate(List.of("*.example.com")));
        String conf = read(EXAMPLE.resolve("portcullis.conf"));
        nginx = TestNginx.start(nginxPort -> {
            String filled = fill(conf, "listen 443 ssl http2;", "listen 127.0.0.1:" + nginxPort + " ssl http2;");
            filled = fill(filled, "/etc/letsencrypt/live/example.com/fullchain.pem", pem.certificate().toString());
            filled = fill(filled, "/etc/letsencrypt/live/example.com/privkey.pem", pem.key().toString());
            filled = fill(filled, "portcullis:80", "127.0.0.1:" + port);
            return fill(filled, "code-server:8443", code.url().replace("http://", ""));
        });
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {nginx, portcullis, code, idp}) {
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
        return new SignInClient(portcullis.port(), ".example.com").overTls()
                .via("authenticate.example.com", nginx.port()).via("code.example.com", nginx.port());
    }

    @Test
    void signInThroughNginxThenTheApplicationSeesWhoItIsAndNoForgedHeader() throws Exception {
        SignInClient user = browser();
        idp.nextUser("user1", "user1@azuread.example.com", List.of(), 3600);
        List<Answer> hops = user.follow("https://code.example.com/?folder=/config/workspace",
                "X-Pomerium-Claim-Email", "admin@azuread.example.com");
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).as(nginx.errorLog()).isEqualTo(200);
        assertThat(last.url()).isEqualTo("https://code.example.com/?folder=/config/workspace");
        assertThat(hops.get(0).status()).as("nginx turns Portcullis's 401 into a 302 to sign in").isEqualTo(302);
        assertThat(hops.get(0).location()).startsWith("https://authenticate.example.com/.pomerium/sign_in?");

        TestUpstream.Recorded seen = code.lastRequest();
        assertThat(seen.rawPath()).isEqualTo("/?folder=/config/workspace");
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEqualTo("user1@azuread.example.com");
        assertThat(code.requests()).noneMatch(request -> request.rawPath().startsWith("/.pomerium/"));
    }

    @Test
    void someoneElseIsRefusedAndNeverReachesTheApplication() throws Exception {
        SignInClient other = browser();
        idp.nextUser("user2", "user2@azuread.example.com", List.of(), 3600);
        int before = code.requests().size();
        Answer refused = other.open("https://code.example.com/", "X-Pomerium-Claim-Email", "user1@azuread.example.com");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(code.requests()).hasSize(before);
    }
}
