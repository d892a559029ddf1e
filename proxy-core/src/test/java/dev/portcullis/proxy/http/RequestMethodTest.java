package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Methods are case-sensitive tokens; one that an upstream would upper-case into another is refused. */
class RequestMethodTest {

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND",
            "MKCOL", "M-SEARCH", "BASELINE-CONTROL", "X_CUSTOM.1", "A!#$%&'*+-.^_`|~9"})
    void acceptsUpperCaseTokens(String method) throws Exception {
        assertThat(RequestMethod.parse(method).name()).isEqualTo(method);
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete", "Delete", "dELETE", "get", "Get", "propfind", "post", "m-search", "GEt"})
    void refusesLowerCaseLetters(String method) {
        assertThatThrownBy(() -> RequestMethod.parse(method))
                .isInstanceOf(RequestMethod.InvalidRequestMethodException.class)
                .hasMessageContaining("lower-case");
        assertThatThrownBy(() -> new RequestMethod(method)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GET /", "GET\t", "DE LETE", "GET\u0000", "DEL\u007fETE", "GET(", "GET\"", "GET/", "GET:",
            "GET;", "GET,", "GET@", "GET[", "GET{", "GET=", "GET?", "GET\\", "DELET\u00c9", "\u0130NFO"})
    void refusesWhatIsNotAToken(String method) {
        assertThatThrownBy(() -> RequestMethod.parse(method)).isInstanceOf(RequestMethod.InvalidRequestMethodException.class);
    }
}
