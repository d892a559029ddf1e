package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.route.RouteTable;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where programmatic login may hand a token: hosts of {@code programmatic_redirect_domain_whitelist},
 * and, as in Pomerium, loopback address literals when it holds {@code localhost} — where
 * {@code pomerium-cli} listens ({@code http://127.0.0.1:<port>}).
 */
class ReturnUrlsTest {
    private final ReturnUrls defaults = new ReturnUrls(RouteTable.of(List.of()), List.of("localhost"));

    @Test
    void localhostAdmitsLoopbackAddressLiterals() {
        assertThat(defaults.programmaticTarget(URI.create("http://localhost:9/cb"))).isTrue();
        assertThat(defaults.programmaticTarget(URI.create("http://127.0.0.1:41234"))).isTrue();
        assertThat(defaults.programmaticTarget(URI.create("http://127.5.6.7:41234/"))).isTrue();
        assertThat(defaults.programmaticTarget(URI.create("http://[::1]:41234/"))).isTrue();
    }

    @Test
    void namesThatOnlyLookLikeLoopbackAreNot() {
        for (String url : List.of("http://127.0.0.1.evil.example/", "http://127.0.0.256/", "http://128.0.0.1/",
                "http://127.1/", "http://[::2]/", "https://evil.example/", "http://0x7f000001/")) {
            assertThat(defaults.programmaticTarget(URI.create(url))).as(url).isFalse();
        }
    }

    @Test
    void withoutLocalhostInTheListLoopbackIsNotAdmitted() {
        ReturnUrls scripts = new ReturnUrls(RouteTable.of(List.of()), List.of("scripts.example.com"));
        assertThat(scripts.programmaticTarget(URI.create("http://127.0.0.1:41234"))).isFalse();
        assertThat(scripts.programmaticTarget(URI.create("https://scripts.example.com/cb"))).isTrue();
    }
}
