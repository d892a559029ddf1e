package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.read;
import static dev.portcullis.config.TestConfig.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.CertificatePair;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server certificates and the two secrets, in every form they arrive in. */
class CertificatesAndSecretsTest {

    static final Path A_CRT = resource("tls/a.crt");
    static final Path A_KEY = resource("tls/a.key");
    static final Path B_CRT = resource("tls/b.crt");
    static final Path B_KEY = resource("tls/b.key");

    @TempDir
    Path dir;

    @Test
    void certificatesComeInlineThenAsFilesThenFromTheList() throws ConfigException {
        List<CertificatePair> pairs = load(dir, """
                certificate_file: %s
                certificate_key_file: %s
                certificates:
                  - {cert: %s, key: %s}
                  - {cert: %s, key: %s}
                """.formatted(A_CRT, A_KEY, B_CRT, B_KEY, base64(read(A_CRT)), base64(read(A_KEY))),
                env("CERTIFICATE", base64(read(B_CRT)), "CERTIFICATE_KEY", base64(read(B_KEY)))).options().server().certificates();

        assertThat(pairs).extracting(CertificatePair::certificatePem)
                .containsExactly(read(B_CRT), read(A_CRT), read(B_CRT), read(A_CRT));
        assertThat(pairs).extracting(CertificatePair::keyPem)
                .containsExactly(read(B_KEY), read(A_KEY), read(B_KEY), read(A_KEY));
        assertThat(pairs).extracting(CertificatePair::source).containsExactly("CERTIFICATE (certificate)",
                "certificate_file " + A_CRT, "certificates[0].cert " + B_CRT, "certificates[1].cert");
    }

    @Test
    void inlineCertificatesMayAlsoBeAPathOrPemText() throws ConfigException {
        Map<String, String> pemText = env("CERTIFICATE", read(A_CRT), "CERTIFICATE_KEY", read(A_KEY));
        Map<String, String> paths = env("CERTIFICATE", A_CRT.toString(), "CERTIFICATE_KEY", A_KEY.toString());

        assertThat(load(dir, "", pemText).options().server().certificates()).singleElement()
                .satisfies(p -> assertThat(p.certificatePem()).isEqualTo(read(A_CRT)));
        assertThat(load(dir, "", paths).options().server().certificates()).singleElement()
                .satisfies(p -> assertThat(p.keyPem()).isEqualTo(read(A_KEY)));
    }

    @Test
    void aCertificateWithoutItsKeyIsAProblemNamingBoth() {
        assertThat(problems(dir, "certificate_file: " + A_CRT + "\ncertificates: [{key: " + B_KEY + "}]\n", env()))
                .containsExactly(
                        "certificate_file is set but certificate_key_file is not (a certificate and its private key go together)",
                        "certificates[0].key is set but certificates[0].cert is not (a certificate and its private key go together)");
    }

    @Test
    void materialThatIsNotWhatItShouldBeIsAProblemThatDoesNotRepeatIt() {
        assertThat(problems(dir, "", env("CERTIFICATE", base64(read(A_KEY)), "CERTIFICATE_KEY", "c2VjcmV0")))
                .containsExactly("CERTIFICATE (certificate): holds no PEM certificate (expected a -----BEGIN …----- block)",
                        "CERTIFICATE_KEY (certificate_key) is neither PEM text, base64-encoded PEM, nor the path of an existing file");
    }

    @Test
    void secretsMayComeFromFilesAsDockerSecretsProvideThem() throws ConfigException {
        Path cookie = TestConfig.write(dir.resolve("cookie"), TestConfig.COOKIE_SECRET + "\n");
        Path shared = TestConfig.write(dir.resolve("shared"), TestConfig.SHARED_SECRET);

        Options options = load(dir, "shared_secret_file: " + shared + "\n",
                Map.of("COOKIE_SECRET_FILE", cookie.toString())).options();

        assertThat(options.secrets()).isEqualTo(new Options.Secrets(TestConfig.COOKIE_BYTES, TestConfig.SHARED_BYTES));
    }

    @Test
    void secretFileProblemsNameTheFile() {
        Path shortSecret = TestConfig.write(dir.resolve("short"), base64("too short"));
        assertThat(problems(dir, "", Map.of("COOKIE_SECRET_FILE", shortSecret.toString(),
                "SHARED_SECRET_FILE", dir.resolve("missing").toString()))).containsExactly(
                "COOKIE_SECRET_FILE (cookie_secret_file): \"" + shortSecret + "\" decodes to 9 bytes, expected 32"
                        + " (generate one with \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\")",
                "SHARED_SECRET_FILE (shared_secret_file): \"" + dir.resolve("missing") + "\": no such file");
    }

    @Test
    void aSecretSetTwiceInTheSameSourceIsAProblem() {
        Path cookie = TestConfig.write(dir.resolve("cookie"), TestConfig.COOKIE_SECRET);
        assertThat(problems(dir, "", env("COOKIE_SECRET_FILE", cookie.toString()))).containsExactly(
                "COOKIE_SECRET_FILE (cookie_secret_file): conflicts with COOKIE_SECRET (cookie_secret)"
                        + " (set only one of cookie_secret, cookie_secret_file)");
    }

    @Test
    void secretsAcceptUrlSafeUnpaddedAndWrappedBase64() throws ConfigException {
        String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        String wrapped = TestConfig.COOKIE_SECRET.substring(0, 20) + "\n" + TestConfig.COOKIE_SECRET.substring(20);
        Options options = load(dir, "", env("SHARED_SECRET", urlSafe, "COOKIE_SECRET", wrapped)).options();
        assertThat(options.secrets()).isEqualTo(new Options.Secrets(TestConfig.COOKIE_BYTES, new byte[32]));
    }
}
