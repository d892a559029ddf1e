package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one normalisation that proxy mode and forward-auth checks share. */
class RequestTargetTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "/public/../admin | /admin",
            "/public/%2e%2e/admin | /admin",
            "/public/%2E%2E/admin | /admin",
            "//admin | /admin",
            "/public//x | /public/x",
            "/public/./x | /public/x",
            "/admin;jsessionid=1 | /admin;jsessionid=1",
            "/public#/../admin | /public",
            "/a%2fb | /a%2Fb",
            "/%7euser | /~user",
            "http://evil.example/public/../admin | /admin"})
    void normalisesBeforeAnyDecision(String raw, String path) throws Exception {
        assertThat(RequestTarget.parse(raw).path()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/public/..%2Fadmin", "/public/..%2fadmin", "/public%2F..%2Fadmin", "/public/..%5Cadmin",
            "/public\\..\\admin", "/public/%2e%2e%2fadmin", "/a%00b", "/a%0ab", "/a b", "*", "/a%zz"})
    void refusesWhatCannotBeMadeSafe(String raw) {
        assertThatThrownBy(() -> RequestTarget.parse(raw)).isInstanceOf(RequestTarget.InvalidRequestTargetException.class);
    }
}
