package dev.portcullis.config.internal.value;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small text forms: booleans, base64, URLs. */
class TextFormsTest {

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "True, true", "1, true", "t, true", "yes, true", "On, true",
        "false, false", "FALSE, false", "False, false", "0, false", "f, false", "no, false", "OFF, false"})
    void booleans(String text, boolean value) {
        assertThat(BooleanText.parse(text)).contains(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "", "truthy"})
    void notBooleans(String text) {
        assertThat(BooleanText.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aGk/Pz4+", "aGk_Pz4-", "aGk/Pz4+\n", " aGk/\nPz4+ "})
    void base64InEitherAlphabetWrappedOrNot(String text) {
        assertThat(Base64Text.decode(text)).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("hi??>>"));
    }

    @Test
    void base64WithOrWithoutPadding() {
        assertThat(Base64Text.decode("aGk=")).hasValueSatisfying(b -> assertThat(b).isEqualTo("hi".getBytes(UTF_8)));
        assertThat(Base64Text.decode("aGk")).hasValueSatisfying(b -> assertThat(b).isEqualTo("hi".getBytes(UTF_8)));
        assertThat(Base64Text.decode("a")).isEmpty();
        assertThat(Base64Text.decode("a+b-")).isEmpty();
        assertThat(Base64Text.decode("- from: x")).isEmpty();
    }

    @Test
    void urlsKeepContainerNamesAndWildcards() {
        UrlText url = UrlText.parse("HTTP://My_Container:8080/app/?q=1#f").orElseThrow();
        assertThat(url).isEqualTo(new UrlText("http", "my_container", OptionalInt.of(8080), "/app/",
                java.util.Optional.of("q=1"), java.util.Optional.of("f")));
        assertThat(UrlText.parse("https://*.example.com").orElseThrow().host()).isEqualTo("*.example.com");
        assertThat(UrlText.parse("http://[::1]:80").orElseThrow().host()).isEqualTo("::1");
        assertThat(UrlText.parse("htp:/x")).isEmpty();
        assertThat(UrlText.parse("http://user@host")).isEmpty();
        assertThat(UrlText.parse("http://host:70000")).isEmpty();
        assertThat(UrlText.parse("http://")).isEmpty();
    }
}
