package dev.portcullis.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real front proxies work on this machine, before any test puts Portcullis behind them: nginx
 * and Caddy each pass a request on to an upstream, and each asks an auth server first (nginx
 * {@code auth_request}, Caddy {@code forward_auth}), letting the request through on a 2xx, answering
 * the auth server's 401 themselves, and carrying the auth server's response headers to the
 * upstream. The auth server is a {@link TestUpstream}: {@code /status/200} allows,
 * {@code /status/401} refuses, and its {@code Content-Type} stands for an identity header.
 *
 * <p>Also pinned here, because the examples rely on it: a client cannot smuggle an identity header
 * past either front proxy when the auth server's 2xx answer lacks it, and Caddy's auth request
 * carries the client's query string unless the configured {@code uri} ends in {@code ?}.
 */
class FrontProxiesSelfTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestUpstream app;
    private static TestUpstream auth;
    private static TestNginx nginx;
    private static TestCaddy caddy;

    @BeforeAll
    static void start() throws Exception {
        app = new TestUpstream("app");
        auth = new TestUpstream("auth");
        nginx = TestNginx.start(port -> """
                server {
                    listen 127.0.0.1:%1$d;

                    location /open/ {
                        auth_request /auth-allows;
                        auth_request_set $auth_type $upstream_http_content_type;
                        auth_request_set $auth_user $upstream_http_remote_user;
                        proxy_set_header X-Auth-Type $auth_type;
                        proxy_set_header Remote-User $auth_user;
                        proxy_pass %2$s;
                    }
                    location /closed/ {
                        auth_request /auth-refuses;
                        proxy_pass %2$s;
                    }
                    location / {
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_pass %2$s;
                    }

                    location = /auth-allows {
                        internal;
                        proxy_pass %3$s/status/200;
                        proxy_pass_request_body off;
                        proxy_set_header Content-Length "";
                        proxy_set_header X-Original-Url $scheme://$http_host$request_uri;
                    }
                    location = /auth-refuses {
                        internal;
                        proxy_pass %3$s/status/401;
                        proxy_pass_request_body off;
                        proxy_set_header Content-Length "";
                    }
                }
                """.formatted(port, app.url(), auth.url()));
        // As examples/caddy-forward-auth does it: the client's copies of the identity headers are
        // dropped first; "uri …?" keeps the client's query off the auth request; and a header the
        // auth server left out is removed (Caddy before 2.10 sets it to the placeholder's own text).
        caddy = TestCaddy.start(port -> """
                http://:%1$d {
                \thandle /open/* {
                \t\troute {
                \t\t\trequest_header -Remote-User
                \t\t\tforward_auth %3$s {
                \t\t\t\turi /status/200?
                \t\t\t\tcopy_headers Content-Type>X-Auth-Type Remote-User
                \t\t\t}
                \t\t\t@unresolvedUser header_regexp Remote-User ^\\{http\\.reverse_proxy\\.header\\.
                \t\t\trequest_header @unresolvedUser -Remote-User
                \t\t\treverse_proxy %2$s
                \t\t}
                \t}
                \thandle /query/* {
                \t\tforward_auth %3$s {
                \t\t\turi /status/200
                \t\t}
                \t\treverse_proxy %2$s
                \t}
                \thandle /closed/* {
                \t\tforward_auth %3$s {
                \t\t\turi /status/401?
                \t\t}
                \t\treverse_proxy %2$s
                \t}
                \thandle {
                \t\treverse_proxy %2$s
                \t}
                }
                """.formatted(port, app.url(), auth.url()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {caddy, nginx, auth, app}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The last request {@code upstream} received for {@code rawPath}, or null. */
    private static TestUpstream.Recorded requestFor(TestUpstream upstream, String rawPath) {
        return requestFor(upstream, rawPath, null, null);
    }

    /** The last request {@code upstream} received for {@code rawPath} with {@code header: value}, or null. */
    private static TestUpstream.Recorded requestFor(TestUpstream upstream, String rawPath, String header, String value) {
        TestUpstream.Recorded found = null;
        for (TestUpstream.Recorded request : upstream.requests()) {
            if (request.rawPath().equals(rawPath) && (header == null || value.equals(request.header(header)))) {
                found = request;
            }
        }
        return found;
    }

    @Test
    void nginxPassesARequestToTheUpstream() throws Exception {
        HttpResponse<String> response = get(nginx.url() + "/plain/nginx?q=1");

        assertThat(response.statusCode()).as(nginx.errorLog()).isEqualTo(200);
        assertThat(response.body()).contains("\"upstream\":\"app\"");
        TestUpstream.Recorded seen = requestFor(app, "/plain/nginx?q=1");
        assertThat(seen).isNotNull();
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void caddyPassesARequestToTheUpstream() throws Exception {
        HttpResponse<String> response = get(caddy.url() + "/plain/caddy?q=1");

        assertThat(response.statusCode()).as(caddy.log()).isEqualTo(200);
        assertThat(response.body()).contains("\"upstream\":\"app\"");
        TestUpstream.Recorded seen = requestFor(app, "/plain/caddy?q=1");
        assertThat(seen).isNotNull();
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + caddy.port());
    }

    @Test
    void nginxAuthRequestLetsThroughOnA2xxWithTheAuthServersHeaders() throws Exception {
        HttpResponse<String> response = get(nginx.url() + "/open/nginx?q=1");

        assertThat(response.statusCode()).as(nginx.errorLog()).isEqualTo(200);
        TestUpstream.Recorded asked = requestFor(auth, "/status/200", "X-Original-Url",
                "http://127.0.0.1:" + nginx.port() + "/open/nginx?q=1");
        assertThat(asked).as("the subrequest carries no query of its own").isNotNull();
        assertThat(asked.header("X-Original-Url")).isEqualTo("http://127.0.0.1:" + nginx.port() + "/open/nginx?q=1");
        TestUpstream.Recorded seen = requestFor(app, "/open/nginx?q=1");
        assertThat(seen).isNotNull();
        assertThat(seen.header("X-Auth-Type")).isEqualTo("text/plain");
    }

    @Test
    void nginxAuthRequestAnswersTheAuthServers401Itself() throws Exception {
        HttpResponse<String> response = get(nginx.url() + "/closed/nginx");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(requestFor(auth, "/status/401")).isNotNull();
        assertThat(requestFor(app, "/closed/nginx")).isNull();
    }

    @Test
    void caddyForwardAuthLetsThroughOnA2xxWithTheAuthServersHeaders() throws Exception {
        HttpResponse<String> response = get(caddy.url() + "/open/caddy?q=1");

        assertThat(response.statusCode()).as(caddy.log()).isEqualTo(200);
        // What forward_auth tells the auth server about the original request (the headers Portcullis
        // rebuilds the checked URL from).
        TestUpstream.Recorded asked = requestFor(auth, "/status/200", "X-Forwarded-Uri", "/open/caddy?q=1");
        assertThat(asked).as("with \"uri /status/200?\" the client's query stays off the auth request").isNotNull();
        assertThat(asked.method()).isEqualTo("GET");
        assertThat(asked.header("X-Forwarded-Method")).isEqualTo("GET");
        assertThat(asked.header("X-Forwarded-Uri")).isEqualTo("/open/caddy?q=1");
        assertThat(asked.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + caddy.port());
        assertThat(asked.header("X-Forwarded-Proto")).isEqualTo("http");
        TestUpstream.Recorded seen = requestFor(app, "/open/caddy?q=1");
        assertThat(seen).isNotNull();
        assertThat(seen.header("X-Auth-Type")).isEqualTo("text/plain");
    }

    @Test
    void caddyForwardAuthAnswersTheAuthServers401Itself() throws Exception {
        HttpResponse<String> response = get(caddy.url() + "/closed/caddy");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("status\n");
        assertThat(requestFor(auth, "/status/401")).isNotNull();
        assertThat(requestFor(app, "/closed/caddy")).isNull();
    }

    @Test
    void caddyForwardAuthGivesTheAuthServerTheClientsQueryUnlessItsUriEndsInAQuestionMark() throws Exception {
        HttpResponse<String> response = get(caddy.url() + "/query/caddy?uri=https://elsewhere.example/");

        assertThat(response.statusCode()).isEqualTo(200);
        // Why the examples write "uri /verify?": otherwise a client picks the uri= Portcullis checks.
        assertThat(requestFor(auth, "/status/200?uri=https://elsewhere.example/")).isNotNull();
    }

    @Test
    void nginxDoesNotLetAClientSetAnIdentityHeaderTheAuthServerLeftOut() throws Exception {
        HttpResponse<String> response = get(nginx.url() + "/open/forged-nginx", "Remote-User", "mallory");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requestFor(app, "/open/forged-nginx").header("Remote-User")).isNull();
    }

    @Test
    void caddyDoesNotLetAClientSetAnIdentityHeaderTheAuthServerLeftOut() throws Exception {
        HttpResponse<String> response = get(caddy.url() + "/open/forged-caddy", "Remote-User", "mallory");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requestFor(app, "/open/forged-caddy").header("Remote-User")).isNull();
    }
}
