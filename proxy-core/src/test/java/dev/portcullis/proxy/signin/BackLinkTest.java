package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.route.RequestHost;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackLinkTest {
    private static final RequestHost HOST = RequestHost.parse("photos.example:8443");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://photos.example:8443/albums/1?sort=date | /albums/1?sort=date",
            "http://PHOTOS.example:8443/a%20b | /a%20b",
            "https://photos.example:8443 | /",
            "https://photos.example:8443/#top | /",
    })
    void aPageOfTheSameHostIsWhereTheLinkLeads(String referer, String expected) {
        assertThat(BackLink.onHost(Optional.of(referer), HOST)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://evil.example/albums/1",            // another host
            "https://photos.example/albums/1",           // another port
            "https://photos.example:8443.evil.example/", // a longer host
            "https://user@photos.example:8443/",         // userinfo makes another authority
            "javascript://photos.example:8443/%0aalert(1)",
            "ftp://photos.example:8443/x",
            "//photos.example:8443/x",                   // no scheme
            "/albums/1",                                  // relative: not what browsers send
            "https://photos.example:8443/.pomerium/",    // the proxy's own pages
            "https://photos.example:8443//evil.example/x",
            "not a uri at all",
    })
    void anythingElseIsNoLink(String referer) {
        assertThat(BackLink.onHost(Optional.of(referer), HOST)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aDefaultPortWrittenOnOneSideOnlyIsTheSamePort() {
        assertThat(BackLink.onHost(Optional.of("https://photos.example:443/a"), RequestHost.parse("photos.example")))
                .contains("/a");
        assertThat(BackLink.onHost(Optional.of("https://photos.example/a"), RequestHost.parse("photos.example:443")))
                .contains("/a");
        assertThat(BackLink.onHost(Optional.of("http://photos.example/a"), RequestHost.parse("photos.example:443")))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void noRefererIsNoLink() {
        assertThat(BackLink.onHost(Optional.empty(), HOST)).isEmpty();
    }
}
