package dev.portcullis.proxy.reload;

import static dev.portcullis.proxy.testing.WatchedProxy.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.WatchedProxy;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates straight from Traefik's {@code acme.json}: every resolver's certificates served by
 * SNI, wildcards included, and a renewal Traefik writes into the file served on new connections
 * within two seconds; no extraction tool, no symlinks, no restart.
 */
class TraefikAcmeTest {
    @TempDir
    Path dir;

    private TestUpstream upstream;
    private WatchedProxy proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    @Test
    void everyResolversCertificatesAreServedBySniAndARenewalInTheFileIsPickedUp() throws Exception {
        SelfSignedCertificate jaeger = SelfSignedCertificate.generate(List.of("jaeger.example.test"));
        SelfSignedCertificate wildcard = SelfSignedCertificate.generate(List.of("*.apps.example.test"));
        Path acme = dir.resolve("acme.json");
        Files.writeString(acme, acmeJson(jaeger, wildcard));
        proxy = WatchedProxy.start(dir, """
                certificates_from_traefik_acme: %s
                routes:
                  - from: https://jaeger.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(acme, upstream.url()));

        assertThat(servedSerial("jaeger.example.test")).isEqualTo(serialOf(jaeger));
        assertThat(servedSerial("grafana.apps.example.test")).as("the wildcard of the second resolver")
                .isEqualTo(serialOf(wildcard));

        SelfSignedCertificate renewed = SelfSignedCertificate.generate(List.of("jaeger.example.test"));
        Path written = dir.resolve("acme.json.tmp");
        Files.writeString(written, acmeJson(renewed, wildcard));
        Files.move(written, acme, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(within(Duration.ofSeconds(2), () -> servedSerial("jaeger.example.test").equals(serialOf(renewed))))
                .as("Traefik's renewal is served within 2 s").isTrue();
        assertThat(servedSerial("grafana.apps.example.test")).isEqualTo(serialOf(wildcard));
    }

    /** Traefik v2/v3's layout: resolvers by name, each with its account and certificates (base64 PEM). */
    private static String acmeJson(SelfSignedCertificate first, SelfSignedCertificate second) {
        return """
                {
                  "letsencrypt": {
                    "Account": {"Email": "admin@example.test", "Registration": {"uri": "https://acme.example/acct/1"},
                                "PrivateKey": "MIIB", "KeyType": "4096"},
                    "Certificates": [
                      {"domain": {"main": "jaeger.example.test"}, "certificate": "%s", "key": "%s", "Store": "default"}
                    ]
                  },
                  "dns": {
                    "Account": {"Email": "admin@example.test"},
                    "Certificates": [
                      {"domain": {"main": "*.apps.example.test", "sans": ["apps.example.test"]},
                       "certificate": "%s", "key": "%s", "Store": "default"}
                    ]
                  }
                }
                """.formatted(b64(first.certificatePem()), b64(first.keyPem()), b64(second.certificatePem()),
                b64(second.keyPem()));
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private BigInteger servedSerial(String sni) throws Exception {
        return TestTls.servedSerial(proxy.port(), sni);
    }

    private static BigInteger serialOf(SelfSignedCertificate certificate) throws Exception {
        return TestTls.serialOf(certificate);
    }
}
