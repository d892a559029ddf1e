package dev.portcullis.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
    @TempDir
    Path temp;

    @Test
    void keepsTheAccountKeyAcrossRestarts() throws Exception {
        KeyPair first = new CertificateStore(temp.resolve("dir")).accountKey();
        KeyPair again = new CertificateStore(temp.resolve("dir")).accountKey();
        assertThat(again.getPublic()).isEqualTo(first.getPublic());
        assertThat(again.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
        assertThat(Files.readString(temp.resolve("dir/account.key"))).contains("BEGIN PRIVATE KEY", "BEGIN PUBLIC KEY");
    }

    @Test
    void loadsWhatItSavedAndNoTemporaryFileIsLeft() throws Exception {
        CertificateStore store = new CertificateStore(temp);
        IssuedCertificate saved = issued(SelfSignedCertificate.generate(List.of("app.example.com")), "app.example.com");
        store.save(saved);

        assertThat(new CertificateStore(temp).load(Set.of("app.example.com"))).contains(saved);
        try (var files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.example.com.crt", "app.example.com.key");
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateOrMissingNamesCountAsNothingStored() throws Exception {
        CertificateStore store = new CertificateStore(temp);
        SelfSignedCertificate one = SelfSignedCertificate.generate(List.of("app.example.com"));
        SelfSignedCertificate other = SelfSignedCertificate.generate(List.of("app.example.com"));
        store.save(new IssuedCertificate(Set.of("app.example.com"), one.certificatePem(), other.keyPem(), Instant.EPOCH, Instant.EPOCH));
        assertThat(store.load(Set.of("app.example.com"))).isEmpty();

        store.save(issued(one, "other.example.com")); // files named for other.example.com, certificate for app.example.com
        assertThat(store.load(Set.of("other.example.com"))).isEmpty();
    }

    @Test
    void namesSeveralNamesByTheFirstAndADigest() {
        assertThat(CertificateStore.baseName(Set.of("b.example.com", "a.example.com"))).matches("a\\.example\\.com\\+[0-9a-f]{16}");
        assertThat(CertificateStore.baseName(Set.of("*.example.com"))).isEqualTo("_wildcard_.example.com");
    }

    private static IssuedCertificate issued(SelfSignedCertificate certificate, String name) throws Exception {
        var leaf = CertificateStore.certificates(certificate.certificatePem()).get(0);
        return new IssuedCertificate(Set.of(name), certificate.certificatePem(), certificate.keyPem(),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }
}
