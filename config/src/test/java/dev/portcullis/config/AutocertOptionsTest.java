package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Autocert.ExternalAccountBinding;
import dev.portcullis.config.TestCertificates.Issued;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autocert*}: certificates from an ACME CA. */
class AutocertOptionsTest {

    static final Issued PEBBLE_ROOT = TestCertificates.ca("Pebble Root CA");
    static final byte[] MAC = "a MAC key of 32 bytes, not real!".getBytes(StandardCharsets.UTF_8);
    static final String MAC_BASE64URL = Base64.getUrlEncoder().withoutPadding().encodeToString(MAC);

    @TempDir
    Path dir;

    @Test
    void offByDefaultWithLetsEncryptAndTheImagesDirectory() throws ConfigException {
        Autocert autocert = load(dir, "", env()).options().server().autocert();

        assertThat(autocert).isEqualTo(Autocert.off());
        assertThat(autocert.enabled()).isFalse();
        assertThat(autocert.dir()).isEqualTo(Path.of("/data/autocert"));
        assertThat(autocert.directoryUrl()).isEqualTo(URI.create("https://acme-v02.api.letsencrypt.org/directory"));
    }

    @Test
    void everyOptionIsRead() throws ConfigException {
        Path root = write(dir.resolve("pebble.minica.pem"), PEBBLE_ROOT.certificatePem());
        LoadedConfig loaded = load(dir, """
                autocert: true
                autocert_dir: %s
                autocert_ca: https://pebble:14000/dir
                autocert_email: ops@example.com
                autocert_must_staple: true
                autocert_eab_key_id: kid-1
                autocert_eab_mac_key: %s
                autocert_trusted_ca_file: %s
                """.formatted(dir.resolve("acme"), MAC_BASE64URL, root), env());

        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(loaded.options().server().autocert()).isEqualTo(new Autocert(true, dir.resolve("acme"),
                URI.create("https://pebble:14000/dir"), Optional.of("ops@example.com"), true,
                Optional.of(new ExternalAccountBinding("kid-1", MAC)), Optional.of(PEBBLE_ROOT.certificatePem())));
        assertThat(loaded.watchedFiles()).containsExactly(dir.resolve("config.yaml"), root);
    }

    @Test
    void theEnvironmentSetsThemTooAndTheTrustedCaMayBeInline() throws ConfigException {
        Autocert autocert = load(dir, "", env("AUTOCERT", "true", "AUTOCERT_DIR", "/var/lib/portcullis",
                "AUTOCERT_USE_STAGING", "true", "AUTOCERT_TRUSTED_CA", base64(PEBBLE_ROOT.certificatePem())))
                .options().server().autocert();

        assertThat(autocert.enabled()).isTrue();
        assertThat(autocert.dir()).isEqualTo(Path.of("/var/lib/portcullis"));
        assertThat(autocert.directoryUrl()).isEqualTo(URI.create("https://acme-staging-v02.api.letsencrypt.org/directory"));
        assertThat(autocert.trustedCaPem()).contains(PEBBLE_ROOT.certificatePem());
    }

    @Test
    void autocertCaWinsOverStagingWithAWarning() throws ConfigException {
        LoadedConfig loaded = load(dir, "autocert_use_staging: true\nautocert_ca: https://acme.zerossl.com/v2/DV90\n", env());

        assertThat(loaded.options().server().autocert().directoryUrl()).isEqualTo(URI.create("https://acme.zerossl.com/v2/DV90"));
        assertThat(optionWarnings(loaded)).containsExactly("autocert_use_staging: has no effect with autocert_ca set (the"
                + " directory autocert_ca names is used)");
    }

    @Test
    void theMacKeyIsNeverShown() throws ConfigException {
        Autocert autocert = load(dir, "autocert_eab_key_id: kid-1\nautocert_eab_mac_key: " + MAC_BASE64URL + "\n", env())
                .options().server().autocert();

        assertThat(autocert.toString()).contains("kid-1").doesNotContain(MAC_BASE64URL).doesNotContain(new String(MAC,
                StandardCharsets.UTF_8));
    }

    @Test
    void autocertWithInsecureServerIsAProblemNamingBoth() {
        assertThat(problems(dir, "autocert: true\ninsecure_server: true\n", env())).containsExactly(
                "autocert: cannot be used with insecure_server: the listener serves plain HTTP, so ACME certificates"
                        + " would never be served (turn one of them off)");
    }

    @Test
    void everyBadValueIsReportedAtOnceWithoutRepeatingTheMacKey() {
        List<String> problems = problems(dir, """
                autocert: maybe
                autocert_ca: acme.example/directory
                autocert_eab_mac_key: "not base64url!"
                autocert_trusted_ca_file: %s
                """.formatted(dir.resolve("missing.pem")), env());

        assertThat(problems).containsExactly(
                "autocert: \"maybe\" is not a boolean (expected true or false)",
                "autocert_ca: \"acme.example/directory\" is not an http(s) URL (expected e.g. https://host.example)",
                "autocert_eab_mac_key is set but autocert_eab_key_id is not (an external account binding needs both the"
                        + " key id and the MAC key the CA gave)",
                "autocert_trusted_ca_file: \"" + dir.resolve("missing.pem") + "\": no such file");
        assertThat(problems(dir, "autocert_eab_key_id: kid\nautocert_eab_mac_key: \"secret mac!\"\n", env()))
                .containsExactly("autocert_eab_mac_key is not valid base64url (expected the MAC key the CA gave, as it"
                        + " gave it)");
    }

    @Test
    void aTrustedCaThatIsNotACertificateIsAProblem() {
        String notACertificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assertThat(problems(dir, "autocert_trusted_ca: " + base64(notACertificate) + "\n", env())).singleElement()
                .asString().startsWith("autocert_trusted_ca: holds no valid X.509 certificate");
        assertThat(problems(dir, "autocert_trusted_ca: " + base64(notACertificate) + "\n",
                env("AUTOCERT_TRUSTED_CA_FILE", "/x.pem"))).singleElement().asString()
                .startsWith("AUTOCERT_TRUSTED_CA_FILE (autocert_trusted_ca_file): \"/x.pem\": no such file");
    }
}
