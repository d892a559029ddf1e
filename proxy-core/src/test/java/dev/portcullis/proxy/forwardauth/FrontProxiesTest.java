package dev.portcullis.proxy.forwardauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestCaddy;
import dev.portcullis.proxy.testing.TestNginx;
import dev.portcullis.proxy.testing.TestUpstream;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real front proxies asking Portcullis: nginx with {@code auth_request} and Caddy with
 * {@code forward_auth}, configured as examples/ shows. The whole sign-in goes through each with a
 * cookie-keeping client; then an allowed request reaches the upstream with the identity headers,
 * and a refused user gets 403.
 */
class FrontProxiesTest {
    private static SignInFixture fixture;
    private static TestNginx nginx;
    private static TestCaddy caddy;

    @BeforeAll
    static void start() throws Exception {
        fixture = SignInFixture.startWithRoutes("""
                  - from: http://grafana.test
                    allowed_users: [alice@example.com]
                """, """
                forward_auth_url: http://forwardauth.test:PORT
                xff_num_trusted_hops: 1
                """);
        int proxy = fixture.port;
        String app = fixture.upstream.url();
        nginx = TestNginx.start(port -> """
                server {
                    listen 127.0.0.1:%1$d;
                    location = /.portcullis-verify {
                        internal;
                        proxy_pass http://127.0.0.1:%2$d/verify;
                        proxy_pass_request_body off;
                        proxy_set_header Content-Length "";
                        proxy_set_header Host forwardauth.test:%2$d;
                        proxy_set_header X-Original-Url $scheme://$http_host$request_uri;
                        proxy_set_header X-Forwarded-For $remote_addr;
                    }
                    location /.pomerium/ {
                        proxy_pass http://127.0.0.1:%2$d;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                    }
                    location @signin {
                        return 302 http://forwardauth.test:%2$d/?uri=$scheme://$http_host$request_uri;
                    }
                    location / {
                        auth_request /.portcullis-verify;
                        auth_request_set $jwt $upstream_http_x_pomerium_jwt_assertion;
                        auth_request_set $email $upstream_http_x_pomerium_claim_email;
                        error_page 401 = @signin;
                        proxy_set_header X-Pomerium-Jwt-Assertion $jwt;
                        proxy_set_header X-Pomerium-Claim-Email $email;
                        proxy_pass %3$s;
                    }
                }
                """.formatted(port, proxy, app));
        caddy = TestCaddy.start(port -> """
                http://:%1$d {
                    forward_auth 127.0.0.1:%2$d {
                        uri /
                        header_up Host forwardauth.test:%2$d
                        copy_headers X-Pomerium-Jwt-Assertion X-Pomerium-Claim-Email
                    }
                    reverse_proxy %3$s
                }
                """.formatted(port, proxy, app.replace("http://", "")));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {caddy, nginx, fixture}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the others matters more
            }
        }
    }

    @Test
    void signInThroughNginxThenTheUpstreamSeesWhoItIs() throws Exception {
        signInThenAllowedThenRefused(nginx.port(), "/nginx/", nginx::errorLog);
    }

    @Test
    void signInThroughCaddyThenTheUpstreamSeesWhoItIs() throws Exception {
        signInThenAllowedThenRefused(caddy.port(), "/caddy/", caddy::log);
    }

    /**
     * Through the front proxy on {@code port}: alice signs in (the whole way, with a cookie-keeping
     * client) and reaches the upstream with her identity; bob signs in and is refused with 403.
     */
    private static void signInThenAllowedThenRefused(int port, String prefix, Supplier<String> frontProxyLog)
            throws Exception {
        String path = prefix + "page?x=1";
        String url = "http://grafana.test:" + port + path;
        SignInClient alice = new SignInClient(fixture.port).via("grafana.test", port);
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = alice.follow(url);
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).as(frontProxyLog.get()).isEqualTo(200);
        assertThat(last.url()).isEqualTo(url);
        TestUpstream.Recorded seen = requestFor(path);
        assertThat(seen.header("X-Pomerium-Jwt-Assertion")).isNotBlank();
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEqualTo("alice@example.com");

        SignInClient bob = new SignInClient(fixture.port).via("grafana.test", port);
        fixture.idp.nextUser("bob", "bob@example.com", List.of(), 3600);
        assertThat(bob.open("http://grafana.test:" + port + prefix + "bob").status()).isEqualTo(403);
        assertThat(requestFor(prefix + "bob")).isNull();
    }

    private static TestUpstream.Recorded requestFor(String rawPath) {
        TestUpstream.Recorded found = null;
        for (TestUpstream.Recorded request : fixture.upstream.requests()) {
            if (request.rawPath().equals(rawPath)) {
                found = request;
            }
        }
        return found;
    }
}
