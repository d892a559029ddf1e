package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.DownstreamMtls.Enforcement;
import dev.portcullis.config.DownstreamMtls.SanMatcher;
import dev.portcullis.config.DownstreamMtls.SanType;
import dev.portcullis.config.TestCertificates.Issued;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code downstream_mtls}: client certificates, as Pomerium configures them. */
class DownstreamMtlsTest {

    static final Issued CA = TestCertificates.ca("Devices CA");
    static final String CRL = TestCertificates.crl(CA);

    @TempDir
    Path dir;

    @Test
    void everySettingIsReadFromTheSection() throws ConfigException {
        Path crl = write(dir.resolve("devices.crl"), CRL);
        LoadedConfig loaded = load(dir, """
                downstream_mtls:
                  ca: %s
                  crl_file: %s
                  enforcement: reject_connection
                  match_subject_alt_names:
                    email: '.*@example\\.com'
                    dns: '(?P<device>[a-z]+)\\.devices\\.example\\.com'
                  max_verify_depth: 0
                """.formatted(base64(CA.certificatePem()), crl), env());

        assertThat(optionWarnings(loaded)).isEmpty();
        DownstreamMtls mtls = loaded.options().server().downstreamMtls().orElseThrow();
        assertThat(mtls).isEqualTo(new DownstreamMtls(Optional.of(CA.certificatePem()), Optional.of(CRL),
                Enforcement.REJECT_CONNECTION, List.of(new SanMatcher(SanType.EMAIL, Pattern.compile(".*@example\\.com")),
                        new SanMatcher(SanType.DNS, Pattern.compile("(?<device>[a-z]+)\\.devices\\.example\\.com"))), 0));
        assertThat(mtls.matchSubjectAltNames().get(0).matches("alice@example.com")).isTrue();
        assertThat(mtls.matchSubjectAltNames().get(0).matches("alice@example.com.evil")).isFalse();
        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"), crl);
    }

    @Test
    void defaultsArePolicyWithDefaultDenyAndADepthOfOne() throws ConfigException {
        Path ca = write(dir.resolve("ca.pem"), CA.certificatePem());

        DownstreamMtls mtls = load(dir, "", env("DOWNSTREAM_MTLS_CA_FILE", ca.toString())).options().server()
                .downstreamMtls().orElseThrow();

        assertThat(mtls).isEqualTo(new DownstreamMtls(Optional.of(CA.certificatePem()), Optional.empty(),
                Enforcement.POLICY_WITH_DEFAULT_DENY, List.of(), 1));
    }

    @Test
    void theEnvironmentSetsEveryKeyAndWins() throws ConfigException {
        DownstreamMtls mtls = load(dir, "downstream_mtls: {enforcement: reject_connection}\n", env(
                "DOWNSTREAM_MTLS_CA", base64(CA.certificatePem()),
                "DOWNSTREAM_MTLS_CRL", base64(CRL),
                "DOWNSTREAM_MTLS_ENFORCEMENT", "POLICY",
                "DOWNSTREAM_MTLS_MATCH_SUBJECT_ALT_NAMES", "{uri: 'spiffe://example\\.com/.*'}",
                "DOWNSTREAM_MTLS_MAX_VERIFY_DEPTH", "3")).options().server().downstreamMtls().orElseThrow();

        assertThat(mtls.crlPem()).contains(CRL);
        assertThat(mtls.enforcement()).isEqualTo(Enforcement.POLICY);
        assertThat(mtls.matchSubjectAltNames()).containsExactly(
                new SanMatcher(SanType.URI, Pattern.compile("spiffe://example\\.com/.*")));
        assertThat(mtls.maxVerifyDepth()).isEqualTo(3);
    }

    @Test
    void theOlderClientCaNamesStillWork() throws ConfigException {
        Path ca = write(dir.resolve("ca.pem"), CA.certificatePem());

        assertThat(load(dir, "client_ca: " + base64(CA.certificatePem()) + "\n", env()).options().server()
                .downstreamMtls()).map(DownstreamMtls::caPem).contains(Optional.of(CA.certificatePem()));
        assertThat(load(dir, "", env("CLIENT_CA_FILE", ca.toString())).options().server()
                .downstreamMtls()).map(DownstreamMtls::caPem).contains(Optional.of(CA.certificatePem()));
    }

    @Test
    void aListOfOneEntryMapsIsReadAsWell() throws ConfigException {
        DownstreamMtls mtls = load(dir, """
                downstream_mtls:
                  ca: %s
                  match_subject_alt_names:
                    - ip_address: '10\\.0\\..*'
                    - user_principal_name: '.*@corp\\.example'
                """.formatted(base64(CA.certificatePem())), env()).options().server().downstreamMtls().orElseThrow();

        assertThat(mtls.matchSubjectAltNames()).extracting(SanMatcher::type)
                .containsExactly(SanType.IP_ADDRESS, SanType.USER_PRINCIPAL_NAME);
    }

    @Test
    void twoCasInTheSameSourceAreAProblem() {
        Path ca = write(dir.resolve("ca.pem"), CA.certificatePem());

        assertThat(problems(dir, "client_ca_file: %s\ndownstream_mtls: {ca: %s}\n".formatted(ca, ca), env()))
                .containsExactly("client_ca_file: conflicts with downstream_mtls.ca (set only one of downstream_mtls.ca,"
                        + " downstream_mtls.ca_file, client_ca, client_ca_file)");
    }

    @Test
    void everyBadValueIsReportedAtOnceWithoutRepeatingMaterial() {
        String notACertificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        Path missingCrl = dir.resolve("missing.crl");

        List<String> problems = problems(dir, """
                downstream_mtls:
                  ca: %s
                  crl_file: %s
                  enforcement: always
                  match_subject_alt_names:
                    email: '(unclosed'
                    phone: '.*'
                  max_verify_depth: -2
                """.formatted(base64(notACertificate), missingCrl), env());

        assertThat(problems).hasSize(6);
        assertThat(problems.get(0)).startsWith("downstream_mtls.ca: holds no valid X.509 certificate");
        assertThat(problems.subList(1, 6)).containsExactly(
                "downstream_mtls.crl_file: \"" + missingCrl + "\": no such file",
                "downstream_mtls.enforcement: \"always\" is not one of policy_with_default_deny, policy, reject_connection",
                "downstream_mtls.match_subject_alt_names.email: \"(unclosed\" is not a valid regular expression:"
                        + " Unclosed group near index 9",
                "downstream_mtls.match_subject_alt_names.phone: \"phone\" is not a SAN type (expected one of email,"
                        + " dns, ip_address, uri, user_principal_name)",
                "downstream_mtls.max_verify_depth: \"-2\" is out of range (expected at least 0)");
        assertThat(String.join("\n", problems)).doesNotContain(base64(notACertificate));
    }

    @Test
    void aCrlThatIsNotOneIsAProblem() {
        assertThat(problems(dir, "downstream_mtls: {ca: %s, crl: %s}\n".formatted(base64(CA.certificatePem()),
                base64(CA.certificatePem())), env())).containsExactly(
                "downstream_mtls.crl: holds no PEM certificate revocation list (expected a -----BEGIN …----- block)");
        String badCrl = "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n";
        assertThat(problems(dir, "downstream_mtls: {ca: %s, crl: %s}\n".formatted(base64(CA.certificatePem()),
                base64(badCrl)), env())).singleElement().asString()
                .startsWith("downstream_mtls.crl: holds no valid X.509 certificate revocation list");
    }

    @Test
    void settingsWithoutACaAreAWarningAndNoMtls() throws ConfigException {
        LoadedConfig loaded = load(dir, "downstream_mtls: {enforcement: reject_connection, max_verify_depth: 2}\n", env());

        assertThat(loaded.options().server().downstreamMtls()).isEmpty();
        assertThat(optionWarnings(loaded)).containsExactly("downstream_mtls.enforcement, downstream_mtls.max_verify_depth"
                + " have no effect without downstream_mtls.ca or downstream_mtls.ca_file: no client certificate is asked for");
    }

    @Test
    void aCaWithInsecureServerIsAWarning() throws ConfigException {
        LoadedConfig loaded = load(dir, "insecure_server: true\n", env("DOWNSTREAM_MTLS_CA", base64(CA.certificatePem())));

        assertThat(loaded.options().server().downstreamMtls()).isPresent();
        assertThat(optionWarnings(loaded)).containsExactly("DOWNSTREAM_MTLS_CA (downstream_mtls.ca): client certificates"
                + " need TLS on this listener; with insecure_server they are never asked for, so with enforcement"
                + " policy_with_default_deny every request is refused (495)");
        LoadedConfig policy = load(dir, "insecure_server: true\ndownstream_mtls:\n  enforcement: policy\n",
                env("DOWNSTREAM_MTLS_CA", base64(CA.certificatePem())));
        assertThat(optionWarnings(policy)).containsExactly("DOWNSTREAM_MTLS_CA (downstream_mtls.ca): client certificates"
                + " need TLS on this listener; with insecure_server they are never asked for");
    }
}
