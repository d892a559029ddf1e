package dev.portcullis.config.internal.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexSubstitutionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/\\1/x|/$1/x|1",
        "\\2\\1|$2$1|2",
        "/price/$5|/price/\\$5|0",
        "a\\\\b|a\\\\b|0",
        "plain|plain|0",
        "trailing\\|trailing\\\\|0"})
    void convertsEnvoyBackReferencesToJava(String envoy, String java, int highest) {
        assertThat(RegexSubstitution.toJava(envoy)).isEqualTo(java);
        assertThat(RegexSubstitution.highestGroup(envoy)).isEqualTo(highest);
    }
}
