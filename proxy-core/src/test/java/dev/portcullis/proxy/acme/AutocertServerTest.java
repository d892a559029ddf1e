package dev.portcullis.proxy.acme;

import static dev.portcullis.proxy.testing.WatchedProxy.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.proxy.testing.Http1Connection;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestPebble;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autocert: true} in the running proxy against a real Pebble: the challenge is answered by
 * the proxy's own listeners (HTTP-01 on {@code http_redirect_addr}, TLS-ALPN-01 on the TLS
 * listener), and the certificate Pebble issues is served by SNI without a restart.
 */
class AutocertServerTest {
    private static final Duration ISSUED_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestUpstream upstream;
    private TestPebble pebble;
    private RunningProxy proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        upstream.close();
    }

    private String config(int tlsPort, Optional<Integer> httpPort) throws Exception {
        Path trusted = Files.writeString(dir.resolve("pebble.crt"), pebble.httpsCertificatePem());
        return """
                address: 127.0.0.1:%d
                insecure_server: false
                %s
                autocert: true
                autocert_dir: %s
                autocert_ca: %s
                autocert_trusted_ca_file: %s
                autocert_email: admin@example.test
                routes:
                  - from: https://app.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://*.wild.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(tlsPort, httpPort.map(p -> "http_redirect_addr: 127.0.0.1:" + p).orElse(""),
                dir.resolve("autocert"), pebble.directory(), trusted, upstream.url(), upstream.url());
    }

    @Test
    void withPort80TheHttp01ChallengeIsAnsweredThereAndTheIssuedCertificateIsServed() throws Exception {
        int tlsPort = TestIdentityProvider.freePort();
        int httpPort = TestIdentityProvider.freePort();
        pebble = TestPebble.start(httpPort, tlsPort, Optional.empty());
        proxy = RunningProxy.start(config(tlsPort, Optional.of(httpPort)));

        X509Certificate root = pebble.root();
        assertThat(within(ISSUED_WITHIN, () -> chainsTo("app.example.test", root)))
                .as("Pebble's certificate for app.example.test is served").isTrue();
        assertThat(TestTls.dnsNames(served("app.example.test"))).containsExactly("app.example.test");
        assertThat(status(tlsPort)).startsWith("HTTP/1.1 200");
        assertThat(Files.list(dir.resolve("autocert")).map(p -> p.getFileName().toString()))
                .contains("app.example.test.crt", "app.example.test.key");

        String challenge = plainGet(httpPort, "/.well-known/acme-challenge/not-a-token");
        assertThat(challenge).startsWith("HTTP/1.1 404");
        assertThat(plainGet(httpPort, "/somewhere")).startsWith("HTTP/1.1 301");
        assertThat(pebble.logs()).doesNotContain("tls-alpn-01");
    }

    @Test
    void withoutPort80TheTlsAlpn01ChallengeIsAnsweredOnTheTlsListener() throws Exception {
        int tlsPort = TestIdentityProvider.freePort();
        int httpPort = TestIdentityProvider.freePort(); // nothing listens there: HTTP-01 would fail
        pebble = TestPebble.start(httpPort, tlsPort, Optional.empty());
        proxy = RunningProxy.start(config(tlsPort, Optional.empty()));

        X509Certificate root = pebble.root();
        assertThat(within(ISSUED_WITHIN, () -> chainsTo("app.example.test", root))).isTrue();
        assertThat(status(tlsPort)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aRenewedCertificateReplacesTheServedOneWithoutARestart() throws Exception {
        int tlsPort = TestIdentityProvider.freePort();
        int httpPort = TestIdentityProvider.freePort();
        pebble = TestPebble.start(httpPort, tlsPort, Optional.of(Duration.ofSeconds(6)));
        proxy = RunningProxy.start(config(tlsPort, Optional.of(httpPort)));

        X509Certificate root = pebble.root();
        assertThat(within(ISSUED_WITHIN, () -> chainsTo("app.example.test", root))).isTrue();
        java.math.BigInteger first = served("app.example.test").getSerialNumber();
        // Renewed when a third of its 6 s is left: the renewed certificate is served on new connections.
        assertThat(within(Duration.ofSeconds(15), () -> chainsTo("app.example.test", root)
                && !served("app.example.test").getSerialNumber().equals(first)))
                .as("the renewed certificate is served").isTrue();
        assertThat(status(tlsPort)).startsWith("HTTP/1.1 200");
    }

    @Test
    void anAutocertDirThatCannotBeWrittenStopsTheStartSayingWhatItMustBe() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "");
        assertThatThrownBy(() -> RunningProxy.start("""
                address: 127.0.0.1:0
                insecure_server: false
                autocert: true
                autocert_dir: %s
                routes:
                  - from: https://app.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(notADirectory.resolve("autocert"), upstream.url())))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("autocert_dir: " + notADirectory.resolve("autocert") + " cannot be used")
                .hasMessageContaining("uid 65532");
    }

    private X509Certificate served(String sni) throws Exception {
        return TestTls.servedChain(proxy.port(), sni).get(0);
    }

    /** Whether the chain served for {@code sni} is signed, link by link, up to Pebble's root. */
    private boolean chainsTo(String sni, X509Certificate root) throws Exception {
        List<X509Certificate> chain = TestTls.servedChain(proxy.port(), sni);
        try {
            for (int i = 0; i + 1 < chain.size(); i++) {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            }
            chain.get(chain.size() - 1).verify(root.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static String status(int port) throws Exception {
        try (SSLSocket socket = TestTls.connect(port, "app.example.test")) {
            return new Http1Connection(socket).get("app.example.test");
        }
    }

    private static String plainGet(int port, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: app.example.test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
