package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.TestUpstream.Recorded;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No header the proxy owns passes it, whatever its case or spelling: what a client sends under the
 * names the proxy sets or believes (identity, claim headers mapped to names of the operator's choosing,
 * forward-auth identity headers, forwarding headers, the request id) never reaches the upstream, in
 * any spelling a CGI/WSGI/Rack server would read as that name. The upstream here is the JDK's server,
 * which keeps header names as sent, so a spelling that slipped through would be seen.
 */
class OwnedHeadersThroughTheProxyTest {
    private static TestUpstream upstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        proxy = RunningProxy.start("""
                jwt_claims_headers:
                  X-Email: email
                  X-User-Groups: groups
                routes:
                  - from: http://public.example
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: http://edits.example
                    to: %1$s
                    allow_public_unauthenticated_access: true
                    remove_request_headers: [X-Secret]
                    set_request_headers:
                      X-Custom: from-proxy
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // a claim header mapped to a name of the operator's choosing (jwt_claims_headers: {X-Email: email})
            "X-Email", "x-email", "X_Email", "x.EMAIL", "X-User-Groups", "X_User_Groups",
            // Pomerium's own, in every spelling
            "X-Pomerium-Claim-Email", "X_Pomerium_Claim_Email", "x-pomerium_jwt_assertion", "X.Pomerium.Jwt.Assertion",
            "X-Pomerium-Authorization", "X_POMERIUM_AUTHORIZATION",
            // the names forward-auth answers use for identity
            "Remote-User", "Remote_Email", "remote-groups", "Remote-Name", "X-Auth-Request-User",
            "X_Auth_Request_Email", "x-auth-request-groups", "X-Auth-Request-Access-Token",
            // forwarding headers the proxy believes only from trusted hops, and its request id
            "X_Forwarded_For", "X-Forwarded_Host", "x_forwarded_proto", "X-Real-IP", "x_real_ip", "Forwarded",
            "X_Original_Url", "X-Request_Id"})
    void aHeaderTheProxyOwnsNeverReachesTheUpstreamInAnySpelling(String name) throws Exception {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET /spoof HTTP/1.1\r\nHost: public.example\r\n"
                + name + ": forged-by-client\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(200);
        Recorded seen = upstream.lastRequest();
        assertThat(seen.rawPath()).isEqualTo("/spoof");
        String spelling = HeaderSpelling.of(name);
        assertThat(seen.headers()).allSatisfy((header, values) -> {
            if (HeaderSpelling.is(header, spelling)) {
                assertThat(values).as(header).doesNotContain("forged-by-client");
            }
            assertThat(values).as(header).noneMatch(value -> value.contains("forged-by-client"));
        });
    }

    @Test
    void theProxysCredentialsAreTakenOutAndEverythingElseOfTheClientsPasses() throws Exception {
        RawHttp.send(proxy.port(), "GET /mixed HTTP/1.1\r\nHost: public.example\r\n"
                + "Cookie: theme=dark; _pomerium=not-a-session; _pomerium_1=chunk\r\n"
                + "Cookie: _pomerium_csrf=x; lang=en\r\n"
                + "Authorization: Basic dXNlcjpwYXNz\r\n"
                + "X-App_Token: keep-me\r\nX-Remote-Thing: keep-me-too\r\n"
                + "Connection: close\r\n\r\n");
        Recorded seen = upstream.lastRequest();
        assertThat(seen.header("Cookie")).isEqualTo("theme=dark; lang=en");
        assertThat(seen.header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(seen.header("X-App_Token")).isEqualTo("keep-me");
        assertThat(seen.header("X-Remote-Thing")).isEqualTo("keep-me-too");

        RawHttp.send(proxy.port(), "GET /bearer HTTP/1.1\r\nHost: public.example\r\n"
                + "Authorization: Bearer Pomerium-sealed-session-of-someone\r\nConnection: close\r\n\r\n");
        assertThat(upstream.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void theRoutesHeaderEditsApplyToEverySpellingOfTheirNames() throws Exception {
        RawHttp.send(proxy.port(), "GET / HTTP/1.1\r\nHost: edits.example\r\n"
                + "X-Secret: a\r\nX_Secret: b\r\nx.secret: c\r\nX_Custom: from-client\r\nConnection: close\r\n\r\n");
        Map<String, List<String>> seen = upstream.lastRequest().headers();
        assertThat(seen).allSatisfy((header, values) -> {
            assertThat(HeaderSpelling.of(header)).isNotEqualTo("x-secret");
            if (HeaderSpelling.is(header, "x-custom")) {
                assertThat(values).containsExactly("from-proxy");
            }
        });
        assertThat(upstream.lastRequest().header("X-Custom")).isEqualTo("from-proxy");
    }

    @Test
    void theProxysOwnForwardingHeadersAreTheOnlyOnes() throws Exception {
        RawHttp.send(proxy.port(), "GET / HTTP/1.1\r\nHost: public.example\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nX_Forwarded_For: 7.7.7.7\r\nX-Request-Id: chosen\r\nConnection: close\r\n\r\n");
        Recorded seen = upstream.lastRequest();
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Request-Id")).matches("[0-9a-f]{16}");
        assertThat(seen.headers().keySet()).filteredOn(header -> HeaderSpelling.is(header, "x-forwarded-for")).hasSize(1);
    }
}
