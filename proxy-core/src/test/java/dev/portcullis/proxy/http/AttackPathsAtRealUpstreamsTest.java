package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.http.AttackPaths.AttackPath;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestFlaskUpstream;
import dev.portcullis.proxy.testing.TestNginx;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the policy judged is what real applications read: each {@link AttackPaths attack path} is sent
 * through the proxy to nginx serving files ({@code location /admin} answers {@code ADMIN-ONLY}), to the
 * JDK's own HTTP server ({@code getRawPath()}, {@code getPath()}) and to Flask under gunicorn
 * ({@code RAW_URI}, {@code request.path}), on routes that deny {@code http_path starts_with /admin}
 * and {@code DELETE}. A target that could be read two ways is refused with 400, one that normalises
 * to {@code /admin} gets 403, and neither reaches the application; the others arrive exactly as
 * judged, and no application reads them as {@code /admin}.
 */
class AttackPathsAtRealUpstreamsTest {
    private static final String ADMIN_BODY = "ADMIN-ONLY";

    private static TestNginx nginx;
    private static TestUpstream jdk;
    private static TestFlaskUpstream flask;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        nginx = TestNginx.start(port -> """
                log_format paths '$request_uri ~> $uri';
                server {
                    listen 127.0.0.1:%d;
                    access_log paths.log paths;
                    location /admin { return 200 "%s\\n"; }
                    location /public { return 200 "PUBLIC\\n"; }
                    location / { return 404 "NOT-FOUND\\n"; }
                }
                """.formatted(port, ADMIN_BODY));
        jdk = new TestUpstream("jdk");
        flask = TestFlaskUpstream.start();
        StringBuilder routes = new StringBuilder("routes:\n");
        for (Origin origin : Origin.values()) {
            routes.append("""
                      - from: http://%s
                        to: %s
                        policy:
                          - allow:
                              or:
                                - http_path:
                                    starts_with: /
                            deny:
                              or:
                                - http_path:
                                    starts_with: /admin
                                - http_method:
                                    is: DELETE
                    """.formatted(origin.host(), origin.url()));
        }
        proxy = RunningProxy.start(routes.toString());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (flask != null) flask.close();
        if (jdk != null) jdk.close();
        if (nginx != null) nginx.close();
    }

    /** The three applications, each behind its own route host. */
    enum Origin {
        NGINX, JDK, FLASK;

        String host() {
            return name().toLowerCase(Locale.ROOT) + ".example";
        }

        String url() {
            return switch (this) {
                case NGINX -> nginx.url();
                case JDK -> jdk.url();
                case FLASK -> flask.url();
            };
        }

        /** How many requests the application has handled so far. */
        int handled() {
            return switch (this) {
                case NGINX -> nginxLines().size();
                case JDK -> jdk.requests().size();
                case FLASK -> flask.requests().size();
            };
        }

        /** The last request the application handled: the target it received and the path it read. */
        Reading last() {
            return switch (this) {
                case NGINX -> {
                    List<String> lines = nginxLines();
                    String[] parts = lines.get(lines.size() - 1).split(" ~> ", 2);
                    yield new Reading(parts[0], nginxUnescape(parts[1]));
                }
                case JDK -> new Reading(jdk.lastRequest().rawPath(), jdk.lastRequest().decodedPath());
                case FLASK -> new Reading(flask.lastRequest().rawUri(), flask.lastRequest().path());
            };
        }
    }

    /** A request as an application received it ({@code target}) and read it ({@code path}, decoded). */
    record Reading(String target, String path) {}

    static Stream<Arguments> everyPathAtEveryOrigin() {
        return Stream.of(Origin.values())
                .flatMap(origin -> AttackPaths.ALL.stream().map(path -> Arguments.of(origin, path)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyPathAtEveryOrigin")
    void theApplicationReadsExactlyWhatThePolicyJudged(Origin origin, AttackPath path) throws Exception {
        int before = origin.handled();
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET " + path.target() + " HTTP/1.1\r\nHost: "
                + origin.host() + "\r\nConnection: close\r\n\r\n");

        assertThat(answer.text()).as("the client never sees the admin page").doesNotContain(ADMIN_BODY);
        switch (path.outcome()) {
            case REFUSED -> {
                assertThat(answer.status()).as(answer.text()).isEqualTo(400);
                assertThat(answer.text().toLowerCase(Locale.ROOT)).as("the proxy's own page").contains("x-request-id:");
                assertThat(origin.handled()).as("nothing reached the application").isEqualTo(before);
            }
            case DENIED -> {
                assertThat(answer.status()).as(answer.text()).isEqualTo(403);
                assertThat(origin.handled()).as("nothing reached the application").isEqualTo(before);
            }
            case FORWARDED -> {
                assertThat(answer.status()).as(answer.text()).isIn(200, 404);
                awaitHandled(origin, before + 1);
                Reading reading = origin.last();
                assertThat(reading.target()).as("what the application received").isEqualTo(path.canonical());
                String judgedPath = path.canonical().split("\\?", 2)[0];
                assertThat(reading.path()).as("what the application read")
                        .isEqualTo(URI.create("http://x" + judgedPath).getPath())
                        .doesNotStartWith("/admin");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NGINX", "JDK", "FLASK"})
    void aLowerCaseMethodIsRefusedAndNeverRun(Origin origin) throws Exception {
        int before = origin.handled();
        for (String method : List.of("delete", "Delete", "dElEtE")) {
            RawHttp.Answer answer = RawHttp.send(proxy.port(), method + " /public/x HTTP/1.1\r\nHost: " + origin.host()
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(method).isEqualTo(400);
        }
        RawHttp.Answer upper = RawHttp.send(proxy.port(), "DELETE /public/x HTTP/1.1\r\nHost: " + origin.host()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(upper.status()).isEqualTo(403);
        assertThat(origin.handled()).as("no delete reached the application").isEqualTo(before);

        RawHttp.Answer get = RawHttp.send(proxy.port(), "GET /public/x HTTP/1.1\r\nHost: " + origin.host()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(get.status()).isEqualTo(200);
        awaitHandled(origin, before + 1);
    }

    /**
     * Without the proxy, these applications do read the attacks as the attacker meant: the table above
     * tests something real (and the day nginx, gunicorn or Flask change, this says so first).
     */
    @Test
    void withoutTheProxyTheApplicationsAreFooled() throws Exception {
        for (String target : List.of("/%2fadmin", "/public/%2e%2e/admin", "/public/..%2fadmin")) {
            RawHttp.Answer direct = RawHttp.send(nginx.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(direct.text()).as("nginx " + target).contains(ADMIN_BODY);
        }
        RawHttp.send(flask.port(), "delete /x HTTP/1.1\r\nHost: x\r\nX_Pomerium_Claim_Email: mallory@example.com\r\n"
                + "Connection: close\r\n\r\n");
        TestFlaskUpstream.Seen seen = flask.lastRequest();
        assertThat(seen.method()).as("gunicorn runs a lower-case method").isEqualToIgnoringCase("DELETE");
        assertThat(seen.header("X-Pomerium-Claim-Email")).as("WSGI reads _ as -").containsExactly("mallory@example.com");
    }

    private static void awaitHandled(Origin origin, int count) throws InterruptedException {
        // nginx writes its log line after the response; the others record before answering.
        for (int i = 0; i < 100 && origin.handled() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(origin.handled()).as("the application handled the request").isEqualTo(count);
    }

    private static List<String> nginxLines() {
        return nginx.log("paths.log").lines().filter(line -> !line.isBlank()).toList();
    }

    /** nginx writes bytes outside printable ASCII in its logs as {@code \xHH}. */
    private static String nginxUnescape(String logged) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < logged.length(); i++) {
            char c = logged.charAt(i);
            if (c == '\\' && i + 3 < logged.length() && logged.charAt(i + 1) == 'x') {
                bytes.write(Integer.parseInt(logged.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
