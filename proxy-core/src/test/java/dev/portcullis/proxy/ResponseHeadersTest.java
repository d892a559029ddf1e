package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-level {@code set_response_headers} (Pomerium's security headers by default) are on every
 * response, the upstream's and the proxy's own pages alike; {@code Strict-Transport-Security} only
 * over TLS; an explicit list replaces the defaults and {@code disable} removes them.
 */
class ResponseHeadersTest {
    private static final String HSTS = "max-age=31536000; includeSubDomains; preload";

    @TempDir
    Path dir;

    private TestUpstream upstream;
    private RunningProxy proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private String routes(String scheme) {
        return """
                routes:
                  - from: %1$s://app.example.test
                    to: %2$s
                    allow_public_unauthenticated_access: true
                  - from: %1$s://down.example.test
                    to: http://127.0.0.1:1
                    allow_public_unauthenticated_access: true
                  - from: %1$s://fixed.example.test
                    response:
                      status: 200
                      body: fixed
                    allow_public_unauthenticated_access: true
                """.formatted(scheme, upstream.url());
    }

    @Test
    void overTlsEveryResponseCarriesTheDefaultsWithHsts() throws Exception {
        TestTls.PemFiles files = TestTls.write(dir, "app", SelfSignedCertificate.generate(List.of("*.example.test")));
        proxy = RunningProxy.start("certificate_file: %s\ncertificate_key_file: %s\n".formatted(files.certificate(), files.key())
                + routes("https"));
        for (String host : List.of("app", "down", "fixed", "unknown")) {
            HttpResponse<String> answer = https(host + ".example.test");
            assertThat(answer.headers().firstValue("strict-transport-security")).as(host).hasValue(HSTS);
            assertThat(answer.headers().firstValue("x-frame-options")).as(host).hasValue("SAMEORIGIN");
            assertThat(answer.headers().firstValue("x-xss-protection")).as(host).hasValue("1; mode=block");
        }
        assertThat(https("unknown.example.test").statusCode()).isEqualTo(404);
        assertThat(https("down.example.test").statusCode()).isEqualTo(502);
    }

    @Test
    void overPlainHttpTheDefaultsComeWithoutHsts() throws Exception {
        proxy = RunningProxy.start(routes("http"));
        for (String host : List.of("app", "down", "fixed", "unknown")) {
            HttpResponse<String> answer = proxy.get(host + ".example.test", "/");
            assertThat(answer.headers().firstValue("strict-transport-security")).as(host).isEmpty();
            assertThat(answer.headers().firstValue("x-frame-options")).as(host).hasValue("SAMEORIGIN");
        }
    }

    @Test
    void anExplicitListReplacesTheDefaultsSoLeavingHstsOutTurnsItOff() throws Exception {
        TestTls.PemFiles files = TestTls.write(dir, "app", SelfSignedCertificate.generate(List.of("*.example.test")));
        proxy = RunningProxy.start("certificate_file: %s\ncertificate_key_file: %s\n".formatted(files.certificate(), files.key())
                + """
                set_response_headers:
                  X-Frame-Options: DENY
                  Content-Security-Policy: "frame-ancestors 'none'"
                """ + routes("https"));
        for (String host : List.of("app", "unknown")) {
            HttpResponse<String> answer = https(host + ".example.test");
            assertThat(answer.headers().firstValue("x-frame-options")).as(host).hasValue("DENY");
            assertThat(answer.headers().firstValue("strict-transport-security")).as(host).isEmpty();
            assertThat(answer.headers().firstValue("x-xss-protection")).as(host).isEmpty();
        }
        assertThat(https("app.example.test").headers().firstValue("content-security-policy"))
                .hasValue("frame-ancestors 'none'");
    }

    @Test
    void disableRemovesThemAll() throws Exception {
        proxy = RunningProxy.start("set_response_headers: disable\n" + routes("http"));
        HttpResponse<String> answer = proxy.get("app.example.test", "/");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("x-frame-options")).isEmpty();
        assertThat(answer.headers().firstValue("x-xss-protection")).isEmpty();
    }

    private HttpResponse<String> https(String host) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestTls.acceptingAnyServer("TLS"))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + proxy.port() + "/"))
                .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
