package dev.portcullis.config.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NearestKeyTest {

    static final List<String> KNOWN = List.of("cookie_secret", "cookie_secret_file", "shared_secret", "to", "from", "timeout");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"cookie_secert, cookie_secret", "cookiesecret, cookie_secret", "shared_secrte, shared_secret",
        "form, from", "tomeout, timeout", "tp, to", "cookie_secret_fil, cookie_secret_file"})
    void suggestsTheClosestKnownKey(String typed, String expected) {
        assertThat(NearestKey.to(typed, KNOWN)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"completely_unrelated", "xyz", "cookie"})
    void staysQuietWhenNothingIsClose(String typed) {
        assertThat(NearestKey.to(typed, KNOWN)).isEmpty();
    }
}
