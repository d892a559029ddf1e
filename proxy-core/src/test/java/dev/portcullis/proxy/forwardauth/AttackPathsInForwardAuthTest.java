package dev.portcullis.proxy.forwardauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.http.AttackPaths;
import dev.portcullis.proxy.http.AttackPaths.AttackPath;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A forward-auth check judges the {@link AttackPaths attack paths} exactly as the proxy would: asked
 * through {@code ?uri=} (encoded, and as nginx writes it, unencoded), through Traefik's and Caddy's
 * {@code X-Forwarded-Uri} and through nginx's {@code X-Original-Url}, on both endpoints, a target
 * that could be read two ways is refused (400) and one that normalises to {@code /admin} is denied
 * (403); neither is ever allowed, since the front proxy would then forward it to the application.
 */
class AttackPathsInForwardAuthTest {
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start("""
                forward_auth_url: http://forwardauth.example
                xff_num_trusted_hops: 1
                routes:
                  - from: http://app.example
                    policy:
                      - allow:
                          or:
                            - http_path:
                                starts_with: /
                        deny:
                          or:
                            - http_path:
                                starts_with: /admin
                """);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
    }

    /** The ways a front proxy names the request it asks about, as the check's target and headers. */
    enum Asking {
        URI_ENCODED, URI_AS_WRITTEN, FORWARDED_URI, ORIGINAL_URL;

        String request(String endpoint, String target) {
            String url = "http://app.example" + target;
            String head = switch (this) {
                case URI_ENCODED -> "GET " + endpoint + "?uri=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + " HTTP/1.1\r\n";
                case URI_AS_WRITTEN -> "GET " + endpoint + "?uri=" + url + " HTTP/1.1\r\n";
                case FORWARDED_URI -> "GET " + endpoint + " HTTP/1.1\r\nX-Forwarded-Proto: http\r\n"
                        + "X-Forwarded-Host: app.example\r\nX-Forwarded-Uri: " + target + "\r\n";
                case ORIGINAL_URL -> "GET " + endpoint + " HTTP/1.1\r\nX-Original-Url: " + url + "\r\n";
            };
            return head + "Host: forwardauth.example\r\nX-Forwarded-For: 192.0.2.10\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n";
        }
    }

    static Stream<Object[]> everyWayOfAsking() {
        return AttackPaths.ALL.stream().filter(AttackPath::checkable)
                .flatMap(path -> Stream.of(Asking.values()).flatMap(asking -> Stream.of("/verify", "/")
                        .map(endpoint -> new Object[] {asking, endpoint, path})));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyWayOfAsking")
    void theCheckJudgesThePathAsTheProxyWould(Asking asking, String endpoint, AttackPath path) throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), asking.request(endpoint, path.target()));
        int expected = switch (path.outcome()) {
            case REFUSED -> 400;
            case DENIED -> 403;
            case FORWARDED -> 200;
        };
        assertThat(answer.status()).as(answer.text()).isEqualTo(expected);
    }
}
