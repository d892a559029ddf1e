package dev.portcullis.proxy.examples;

import static dev.portcullis.proxy.examples.ExampleFiles.GUIDES;
import static dev.portcullis.proxy.examples.ExampleFiles.fill;
import static dev.portcullis.proxy.examples.ExampleFiles.read;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide "Traefik's Let's Encrypt certificates for Synology NAS"
 * (../shared/guides/traefik-certs-for-synology.md) as written: traefik-certs-dumper's files
 * ({@code certs/domain.crt}, {@code private/domain.key} under the backup), linked into DSM's
 * certificate folder by the guide's own commands (run by {@code bash}, with only the paths filled
 * in), and the proxy serving the linked {@code fullchain.pem} and {@code privkey.pem}. The flow it
 * describes: the dumper rewrites its files when Traefik renews, and what is served follows, here
 * within two seconds and with no restart or reload task.
 */
class TraefikCertsForSynologyGuideTest {
    @TempDir
    Path dir;

    @Test
    void theLinkedDumperFilesAreServedAndARenewalIsPickedUp() throws Exception {
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Path archive = Files.createDirectories(dir.resolve("archive").resolve("AbC12"));
        dump(backup, SelfSignedCertificate.generate(List.of("*.example.test")));
        for (String uploaded : List.of("cert.pem", "fullchain.pem", "privkey.pem")) {
            Files.writeString(archive.resolve(uploaded), "uploaded once through DSM's page\n");
        }
        String commands = fill(read(GUIDES.resolve("traefik-certs-for-synology").resolve("symlinks.sh")),
                "/usr/syno/etc/certificate/_archive/<folder>", archive.toString());
        commands = fill(commands, "/path/to/backup", backup.toString());
        Process bash = new ProcessBuilder("bash", "-euc", "sudo() { \"$@\"; }\n" + commands).redirectErrorStream(true).start();
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(Files.isSymbolicLink(archive.resolve("fullchain.pem"))).isTrue();

        try (TestUpstream upstream = new TestUpstream("nas");
                WatchedProxy proxy = WatchedProxy.start(dir, """
                        certificate_file: %s
                        certificate_key_file: %s
                        routes:
                          - from: https://nas.example.test
                            to: %s
                            allow_public_unauthenticated_access: true
                        """.formatted(archive.resolve("fullchain.pem"), archive.resolve("privkey.pem"), upstream.url()))) {
            SelfSignedCertificate renewed = SelfSignedCertificate.generate(List.of("*.example.test"));
            BigInteger renewedSerial = TestTls.serialOf(renewed);
            assertThat(TestTls.servedSerial(proxy.port(), "nas.example.test")).isNotEqualTo(renewedSerial);
            dump(backup, renewed);
            assertThat(within(Duration.ofSeconds(2),
                    () -> TestTls.servedSerial(proxy.port(), "nas.example.test").equals(renewedSerial))).isTrue();
        }
    }

    /** What traefik-certs-dumper writes for a domain: {@code certs/domain.crt} and {@code private/domain.key}, in place. */
    private static void dump(Path backup, SelfSignedCertificate certificate) throws Exception {
        Files.writeString(Files.createDirectories(backup.resolve("private")).resolve("domain.key"), certificate.keyPem());
        Files.writeString(Files.createDirectories(backup.resolve("certs")).resolve("domain.crt"), certificate.certificatePem());
    }
}
