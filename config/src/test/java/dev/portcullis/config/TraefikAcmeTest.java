package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.read;
import static dev.portcullis.config.TestConfig.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.CertificatePair;
import dev.portcullis.config.TestCertificates.Issued;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certificates_from_traefik_acme}: the certificates Traefik's ACME resolver keeps in acme.json. */
class TraefikAcmeTest {

    static final Issued CA = TestCertificates.ca("Fake LE Intermediate X1");
    static final Issued A = TestCertificates.leaf(CA, "a.example", "b.example");
    static final Issued WILDCARD = TestCertificates.leaf(CA, "*.apps.example", "apps.example");
    static final Issued C = TestCertificates.leaf(CA, "c.example");

    @TempDir
    Path dir;

    /** A v2/v3 entry as Traefik writes it: the PEM chain (leaf, then issuer) and the key, each base64. */
    static String v2Entry(String main, String sans, Issued issued) {
        return """
                {"domain": {"main": "%s"%s}, "certificate": "%s", "key": "%s", "Store": "default"}"""
                .formatted(main, sans.isEmpty() ? "" : ", \"sans\": [" + sans + "]",
                        base64(issued.certificatePem() + CA.certificatePem()), base64(issued.keyPem()));
    }

    static String account(String email) {
        return """
                {"Email": "%s", "Registration": {"body": {"status": "valid", "contact": ["mailto:%s"]},
                 "uri": "https://acme-v02.api.letsencrypt.org/acme/acct/123456"}, "PrivateKey": "%s",
                 "KeyType": "4096"}""".formatted(email, email, base64("not a real account key"));
    }

    @Test
    void everyCertificateOfEveryResolverOfATraefikV2FileIsServedAfterTheOthers() throws ConfigException {
        Path acme = write(dir.resolve("acme.json"), """
                {
                  "le": {"Account": %s, "Certificates": [%s, %s]},
                  "le-dns": {"Account": %s, "Certificates": [%s]},
                  "fresh": {"Account": %s, "Certificates": null}
                }
                """.formatted(account("ops@example.com"), v2Entry("a.example", "\"b.example\"", A),
                v2Entry("*.apps.example", "\"apps.example\"", WILDCARD), account("dns@example.com"),
                v2Entry("c.example", "", C), account("x@example.com")));

        LoadedConfig loaded = load(dir, """
                certificate_file: %s
                certificate_key_file: %s
                certificates_from_traefik_acme: %s
                """.formatted(CertificatesAndSecretsTest.A_CRT, CertificatesAndSecretsTest.A_KEY, acme), env());

        List<CertificatePair> pairs = loaded.options().server().certificates();
        assertThat(pairs).extracting(CertificatePair::source).containsExactly(
                "certificate_file " + CertificatesAndSecretsTest.A_CRT,
                "certificates_from_traefik_acme " + acme + " (resolver le, a.example)",
                "certificates_from_traefik_acme " + acme + " (resolver le, *.apps.example)",
                "certificates_from_traefik_acme " + acme + " (resolver le-dns, c.example)");
        assertThat(pairs.get(1).certificatePem()).isEqualTo(A.certificatePem() + CA.certificatePem());
        assertThat(pairs.get(1).keyPem()).isEqualTo(A.keyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(pairs.get(2).keyPem()).isEqualTo(WILDCARD.keyPem());
        assertThat(pairs.get(3).certificatePem()).isEqualTo(C.certificatePem() + CA.certificatePem());
        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"), CertificatesAndSecretsTest.A_CRT,
                CertificatesAndSecretsTest.A_KEY, acme);
    }

    @Test
    void aTraefikV1FileWithCapitalisedKeysIsReadToo() throws ConfigException {
        Path acme = write(dir.resolve("acme.json"), """
                {"Account": %s, "Certificates": [
                  {"Domain": {"Main": "a.example", "SANs": ["b.example"]}, "Certificate": "%s", "Key": "%s"}
                ], "HTTPChallenge": {}}
                """.formatted(account("ops@example.com"), base64(A.certificatePem()), base64(A.keyPem())));

        List<CertificatePair> pairs = load(dir, "", env("CERTIFICATES_FROM_TRAEFIK_ACME", acme.toString()))
                .options().server().certificates();

        assertThat(pairs).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("CERTIFICATES_FROM_TRAEFIK_ACME (certificates_from_traefik_acme) " + acme
                    + " (a.example)");
            assertThat(p.certificatePem()).isEqualTo(A.certificatePem());
            assertThat(p.keyPem()).isEqualTo(A.keyPem());
        });
    }

    @Test
    void aFileWithoutCertificatesYetIsAWarningNotAProblem() throws ConfigException {
        Path fresh = write(dir.resolve("fresh.json"), """
                {"le": {"Account": %s, "Certificates": null}, "other": {"Account": null}}
                """.formatted(account("ops@example.com")));
        Path empty = write(dir.resolve("empty.json"), "");

        LoadedConfig loaded = load(dir, "certificates_from_traefik_acme: " + fresh + "\n", env());
        LoadedConfig fromEmpty = load(dir, "certificates_from_traefik_acme: " + empty + "\n", env());

        assertThat(loaded.options().server().certificates()).isEmpty();
        assertThat(optionWarnings(loaded)).containsExactly("certificates_from_traefik_acme: \"" + fresh + "\" holds no"
                + " certificates yet (Traefik writes it before its first certificate is issued); the server uses its"
                + " other certificates");
        assertThat(optionWarnings(fromEmpty)).singleElement().asString().contains("holds no certificates yet");
    }

    @Test
    void aMissingFileOrOneThatIsNotJsonIsAProblemNamingTheOptionAndThePath() {
        Path missing = dir.resolve("missing.json");
        Path notJson = write(dir.resolve("acme.json"), "{\"le\": {\"Certificates\": [\n");

        assertThat(problems(dir, "certificates_from_traefik_acme: " + missing + "\n", env())).containsExactly(
                "certificates_from_traefik_acme: \"" + missing + "\": no such file");
        assertThat(problems(dir, "certificates_from_traefik_acme: " + notJson + "\n", env())).singleElement()
                .asString().startsWith("certificates_from_traefik_acme: \"" + notJson + "\" is not JSON (at line 2, column");
    }

    @Test
    void jsonThatIsNotATraefikLayoutIsAProblem() {
        Path list = write(dir.resolve("list.json"), "[]");
        Path other = write(dir.resolve("other.json"), "{\"le\": {\"Account\": null}, \"version\": 3}");
        String layouts = "expected Traefik's acme.json: {\"<resolver>\": {\"Account\": …, \"Certificates\": […]}}"
                + " (v2, v3) or {\"Account\": …, \"Certificates\": […]} (v1)";

        assertThat(problems(dir, "certificates_from_traefik_acme: " + list + "\n", env())).containsExactly(
                "certificates_from_traefik_acme: \"" + list + "\" is not a Traefik acme.json: found JSON array at the"
                        + " top (" + layouts + ")");
        assertThat(problems(dir, "certificates_from_traefik_acme: " + other + "\n", env())).containsExactly(
                "certificates_from_traefik_acme: \"" + other + "\" is not a Traefik acme.json: \"version\" is not a"
                        + " resolver with Account and Certificates (" + layouts + ")");
    }

    @Test
    void everyBadEntryIsReportedWithItsResolverAndDomainAndNoKeyMaterial() {
        String notACertificate = base64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path acme = write(dir.resolve("acme.json"), """
                {"le": {"Account": null, "Certificates": [
                  %s,
                  {"domain": {"main": "b.example"}, "certificate": "%s", "key": "%s"},
                  {"domain": {"main": "c.example"}, "certificate": "%s", "key": "%s"},
                  {"domain": {"main": "d.example"}, "certificate": "%s"},
                  {"certificate": "%s", "key": "not base64 at all!"}
                ]}}
                """.formatted(v2Entry("a.example", "", A), base64(A.keyPem()), base64(A.certificatePem()),
                notACertificate, base64(C.keyPem()), base64(C.certificatePem()), base64(C.certificatePem())));

        List<String> problems = problems(dir, "certificates_from_traefik_acme: " + acme + "\n", env());

        String at = "certificates_from_traefik_acme: \"" + acme + "\" ";
        assertThat(problems).hasSize(5);
        assertThat(problems.get(0)).isEqualTo(at + "resolver \"le\", certificate for \"b.example\": certificate is not"
                + " base64 of a PEM certificate");
        assertThat(problems.get(1)).isEqualTo(at + "resolver \"le\", certificate for \"b.example\": key is not base64 of"
                + " a PEM private key");
        assertThat(problems.get(2)).startsWith(at + "resolver \"le\", certificate for \"c.example\": certificate holds no"
                + " valid X.509 certificate");
        assertThat(problems.get(3)).isEqualTo(at + "resolver \"le\", certificate for \"d.example\": key is missing");
        assertThat(problems.get(4)).isEqualTo(at + "resolver \"le\", Certificates[4]: key is not base64 of a PEM"
                + " private key");
        String keyBody = C.keyPem().lines().skip(1).findFirst().orElseThrow();
        assertThat(String.join("\n", problems)).doesNotContain(keyBody).doesNotContain(base64(C.keyPem()).substring(0, 40));
    }
}
