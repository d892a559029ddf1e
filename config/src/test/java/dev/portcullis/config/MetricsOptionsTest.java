package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Options.MetricsOptions;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics_address} and {@code metrics_basic_auth}, from the file and the environment. */
class MetricsOptionsTest {

    @TempDir
    Path dir;

    @Test
    void offWhenNothingIsSet() throws ConfigException {
        assertThat(load(dir, "", env()).options().metrics()).isEqualTo(MetricsOptions.off());
    }

    @Test
    void fromTheFileWithTheCredentialsDecodedAndNeverPrinted() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                metrics_address: 127.0.0.1:9090
                metrics_basic_auth: %s
                """.formatted(base64("prometheus:s3cret:with-colon")), env());

        assertThat(optionWarnings(loaded)).isEmpty();
        MetricsOptions metrics = loaded.options().metrics();
        assertThat(metrics).isEqualTo(new MetricsOptions(Optional.of("127.0.0.1:9090"),
                Optional.of("prometheus:s3cret:with-colon")));
        assertThat(metrics.toString()).doesNotContain("s3cret").contains("hidden");
        assertThat(loaded.options().toString()).doesNotContain("s3cret");
    }

    @Test
    void fromTheEnvironment() throws ConfigException {
        LoadedConfig loaded = load(dir, "metrics_address: :1\n",
                env("METRICS_ADDRESS", ":9090", "METRICS_BASIC_AUTH", base64("user:pass")));

        assertThat(loaded.options().metrics()).isEqualTo(new MetricsOptions(Optional.of(":9090"), Optional.of("user:pass")));
    }

    @Test
    void aWrongAddressOrCredentialsAreProblemsThatDoNotQuoteTheSecret() {
        assertThat(problems(dir, "metrics_address: 9090\n", env()))
                .singleElement().asString().contains("metrics_address").contains("not a listen address");
        assertThat(problems(dir, "metrics_address: :9090\nmetrics_basic_auth: " + base64("no-colon-here") + "\n", env()))
                .singleElement().asString().contains("metrics_basic_auth").contains("user:pass")
                .doesNotContain("no-colon-here");
        assertThat(problems(dir, "metrics_address: :9090\nmetrics_basic_auth: 'not base64!'\n", env()))
                .singleElement().asString().contains("metrics_basic_auth").doesNotContain("not base64!");
    }

    @Test
    void credentialsWithoutAnAddressOnlyWarn() throws ConfigException {
        LoadedConfig loaded = load(dir, "metrics_basic_auth: " + base64("user:pass") + "\n", env());

        assertThat(loaded.options().metrics().address()).isEmpty();
        assertThat(optionWarnings(loaded)).anySatisfy(w -> assertThat(w).contains("metrics_address"));
    }
}
