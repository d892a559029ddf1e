package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.LoadedConfig;
import dev.portcullis.proxy.access.PolicyGate;
import dev.portcullis.proxy.cli.CommandLoaders;
import dev.portcullis.proxy.server.ProxyServer;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration without {@code cookie_secret} and {@code shared_secret}, served as {@code serve} serves it:
 * a session signed in during one run of the proxy still works in the next (Pomerium would have made up new
 * secrets and signed everyone out), because the generated secrets were kept in the data directory.
 */
class GeneratedSecretsRestartTest {

    @TempDir
    Path dir;

    private TestIdentityProvider idp;
    private TestUpstream upstream;
    private int port;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        idp = new TestIdentityProvider();
        upstream = new TestUpstream("app");
        port = TestIdentityProvider.freePort();
        config = Files.writeString(dir.resolve("config.yaml"), """
                address: 127.0.0.1:%1$d
                insecure_server: true
                authenticate_service_url: http://authenticate.test:%1$d
                idp_provider: oidc
                idp_provider_url: %2$s
                idp_client_id: %3$s
                idp_client_secret: %4$s
                cookie_secure: false
                routes:
                  - from: http://app.test:%1$d
                    to: %5$s
                    allowed_users: [alice@example.com]
                """.formatted(port, idp.issuerUrl(), TestIdentityProvider.CLIENT_ID, TestIdentityProvider.CLIENT_SECRET,
                upstream.url()));
    }

    @AfterEach
    void stop() {
        upstream.close();
        idp.close();
    }

    private ProxyServer serve(Path dataDir) throws Exception {
        LoadedConfig loaded = CommandLoaders.forServe(Map.of("DATA_DIR", dataDir.toString())).load(Optional.of(config));
        return ProxyServer.start(loaded.options(), Transport.best(), new PolicyGate(Clock.systemUTC()));
    }

    @Test
    void aSessionFromOneRunStillWorksInTheNext() throws Exception {
        Path data = dir.resolve("data");
        SignInClient browser = new SignInClient(port);
        String app = "http://app.test:" + port + "/";
        try (ProxyServer first = serve(data)) {
            idp.nextUser("alice", "alice@example.com", List.of(), 3600);
            assertThat(browser.open(app).status()).isEqualTo(200);
        }
        int signIns = idp.requests("/token").size();

        try (ProxyServer second = serve(data)) {
            Answer again = browser.withNewConnections().get(app);

            assertThat(again.status()).as("the cookie of the first run, in the second").isEqualTo(200);
            assertThat(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
            assertThat(idp.requests("/token")).as("no new sign-in").hasSize(signIns);
        }

        try (ProxyServer elsewhere = serve(dir.resolve("other-data"))) {
            assertThat(browser.withNewConnections().get(app).status()).as("other secrets do not open that cookie")
                    .isEqualTo(302);
        }
    }
}
