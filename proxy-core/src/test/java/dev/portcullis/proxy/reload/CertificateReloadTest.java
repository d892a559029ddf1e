package dev.portcullis.proxy.reload;

import static dev.portcullis.proxy.testing.WatchedProxy.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.Http1Connection;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.WatchedProxy;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates renewed by another tool are served without a restart: a new TLS connection sees
 * the new certificate within two seconds, while a connection opened before keeps working; whether
 * the file is replaced, a symlink repointed, or a Kubernetes-style {@code ..data} directory swapped.
 */
class CertificateReloadTest {
    private static final Duration WITHIN = Duration.ofSeconds(2);

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

    private String configNaming(Path certificate, Path key) {
        return """
                certificate_file: %s
                certificate_key_file: %s
                routes:
                  - from: https://app.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(certificate, key, upstream.url());
    }

    @Test
    void aReplacedCertificateFileIsServedOnNewConnectionsWhileAnOldConnectionKeepsWorking() throws Exception {
        TestTls.PemFiles first = TestTls.write(dir, "app", SelfSignedCertificate.generate(List.of("app.example.test")));
        proxy = WatchedProxy.start(dir, configNaming(first.certificate(), first.key()));
        BigInteger firstSerial = serialOf(first);

        try (SSLSocket old = connect()) {
            Http1Connection oldConnection = new Http1Connection(old);
            assertThat(leaf(old).getSerialNumber()).isEqualTo(firstSerial);
            assertThat(oldConnection.get("app.example.test")).startsWith("HTTP/1.1 200");

            // Renewed as certbot and the extraction scripts do: new files renamed over the old ones, key first.
            SelfSignedCertificate renewed = SelfSignedCertificate.generate(List.of("app.example.test"));
            TestTls.PemFiles next = TestTls.write(Files.createDirectory(dir.resolve("next")), "app", renewed);
            Files.move(next.key(), first.key(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(next.certificate(), first.certificate(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            BigInteger renewedSerial = serialOf(renewed);

            assertThat(within(WITHIN, () -> servedSerial().equals(renewedSerial)))
                    .as("a new connection gets the renewed certificate within 2 s").isTrue();
            assertThat(oldConnection.get("app.example.test")).as("the connection opened before still works")
                    .startsWith("HTTP/1.1 200");
            assertThat(leaf(old).getSerialNumber()).isEqualTo(firstSerial);
        }
    }

    @Test
    void aRepointedSymlinkIsFollowed() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        TestTls.PemFiles inA = TestTls.write(a, "app", SelfSignedCertificate.generate(List.of("app.example.test")));
        TestTls.PemFiles inB = TestTls.write(b, "app", SelfSignedCertificate.generate(List.of("app.example.test")));
        Path certificate = Files.createSymbolicLink(dir.resolve("cert.pem"), inA.certificate());
        Path key = Files.createSymbolicLink(dir.resolve("key.pem"), inA.key());
        proxy = WatchedProxy.start(dir, configNaming(certificate, key));
        assertThat(servedSerial()).isEqualTo(serialOf(inA));

        repoint(key, inB.key());
        repoint(certificate, inB.certificate());
        assertThat(within(WITHIN, () -> servedSerial().equals(serialOf(inB)))).isTrue();
    }

    @Test
    void aSwappedDataDirectoryIsFollowedAsKubernetesSecretsAreUpdated() throws Exception {
        // secret/cert.pem -> ..data/cert.pem, ..data -> ..2026_11_23_01; an update writes a new
        // timestamped directory and swaps ..data in one rename.
        Path secret = Files.createDirectory(dir.resolve("secret"));
        Path first = Files.createDirectory(secret.resolve("..2026_11_23_01"));
        TestTls.PemFiles one = TestTls.write(first, "tls", SelfSignedCertificate.generate(List.of("app.example.test")));
        Files.createSymbolicLink(secret.resolve("..data"), first.getFileName());
        Path certificate = Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Path key = Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        proxy = WatchedProxy.start(dir, configNaming(certificate, key));
        assertThat(servedSerial()).isEqualTo(serialOf(one));

        Path second = Files.createDirectory(secret.resolve("..2026_11_23_02"));
        TestTls.PemFiles two = TestTls.write(second, "tls", SelfSignedCertificate.generate(List.of("app.example.test")));
        repoint(secret.resolve("..data"), second.getFileName());
        assertThat(within(WITHIN, () -> servedSerial().equals(serialOf(two)))).isTrue();
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefusedAndTheRunningCertificateStays() throws Exception {
        TestTls.PemFiles first = TestTls.write(dir, "app", SelfSignedCertificate.generate(List.of("app.example.test")));
        proxy = WatchedProxy.start(dir, configNaming(first.certificate(), first.key()));
        BigInteger firstSerial = serialOf(first);

        // Only the certificate renewed, its key not yet: half an update, never served.
        SelfSignedCertificate renewed = SelfSignedCertificate.generate(List.of("app.example.test"));
        Files.writeString(first.certificate(), renewed.certificatePem());
        Thread.sleep(1_500);
        assertThat(servedSerial()).isEqualTo(firstSerial);

        Files.writeString(first.key(), renewed.keyPem());
        assertThat(within(WITHIN, () -> servedSerial().equals(serialOf(renewed)))).isTrue();
    }

    @Test
    void aConfigurationNamingCertificatesThatDoNotExistYetIsServedOnceTheyAppear() throws Exception {
        TestTls.PemFiles first = TestTls.write(dir, "app", SelfSignedCertificate.generate(List.of("app.example.test")));
        proxy = WatchedProxy.start(dir, configNaming(first.certificate(), first.key()));
        Path later = dir.resolve("later");
        proxy.replaceConfig(configNaming(later.resolve("app.crt"), later.resolve("app.key")));
        Thread.sleep(1_000);
        assertThat(servedSerial()).as("refused: the files are missing").isEqualTo(serialOf(first));

        TestTls.PemFiles appeared = TestTls.write(Files.createDirectory(later), "app",
                SelfSignedCertificate.generate(List.of("app.example.test")));
        assertThat(within(WITHIN, () -> servedSerial().equals(serialOf(appeared))))
                .as("the refused configuration's own files are watched too").isTrue();
    }

    private static void repoint(Path link, Path target) throws Exception {
        Path next = link.resolveSibling(link.getFileName() + ".next");
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private SSLSocket connect() throws Exception {
        return TestTls.connect(proxy.port(), "app.example.test");
    }

    private BigInteger servedSerial() throws Exception {
        return TestTls.servedSerial(proxy.port(), "app.example.test");
    }

    private static X509Certificate leaf(SSLSocket socket) throws Exception {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private static BigInteger serialOf(TestTls.PemFiles files) throws Exception {
        return TestTls.serialOf(files.generated());
    }

    private static BigInteger serialOf(SelfSignedCertificate certificate) throws Exception {
        return TestTls.serialOf(certificate);
    }
}
