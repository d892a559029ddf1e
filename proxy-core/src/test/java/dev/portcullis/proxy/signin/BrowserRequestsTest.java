package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrowserRequestsTest {
    @ParameterizedTest(name = "{0} → browser {1}")
    @CsvSource(delimiter = '|', value = {
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8 | true",
            "text/html | true",
            "application/xhtml+xml | true",
            "'' | true",
            "application/json | false",
            "*/* | false",
            "application/json, text/html;q=0.5 | false",
            "text/html;q=0.9, application/json;q=0.9 | true",
            "text/html;q=0 | false",
            "text/plain | false"})
    void tellsBrowsersFromApiClients(String accept, boolean browser) {
        assertThat(BrowserRequests.isBrowser(accept)).isEqualTo(browser);
    }

    @Test
    void noAcceptIsABrowser() {
        assertThat(BrowserRequests.isBrowser(null)).isTrue();
    }
}
