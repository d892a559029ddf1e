package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 15: a session on {@code np.test} is the session of {@code np.test:8443} too, as in Pomerium
 * (browsers send a host's cookies on every port, RFC 6265 §8.5): a hand-off is for the host's name whatever
 * the port it lands on, and the URLs the proxy builds leave out a default port that a browser would drop.
 * The route's {@code from} names no port, so the route serves every port.
 */
class SessionAcrossPortsTest {
    private TestUpstream upstream;
    private SignInFixture fixture;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("np");
        fixture = SignInFixture.startWithRoutes("""
                  - from: http://np.test
                    to: %s
                    allowed_users: [alice@example.com]
                """.formatted(upstream.url()));
        browser = new SignInClient(fixture.port);
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
    }

    @AfterEach
    void stop() {
        fixture.close();
        upstream.close();
    }

    /** Follows the sign-in from {@code url} up to the hand-off redirect, which it returns unfollowed. */
    private String handOffFrom(String url) throws Exception {
        String next = url;
        for (int i = 0; i < 6; i++) {
            Answer answer = browser.get(next);
            assertThat(answer.status()).as(next).isEqualTo(302);
            next = answer.location();
            if (next.contains("/.pomerium/callback/")) {
                return next;
            }
        }
        throw new AssertionError("no hand-off");
    }

    @Test
    void aHandOffForOnePortIsTakenOnAnotherPortOfTheSameHost() throws Exception {
        String handOff = handOffFrom("http://np.test:8443/x");
        assertThat(handOff).startsWith("http://np.test:8443/.pomerium/callback/?");

        // the browser reaches the hand-off through a front door on another port (e.g. DSM on 443)
        Answer landed = browser.get(handOff.replace("http://np.test:8443/", "http://np.test/"));
        assertThat(landed.status()).isEqualTo(302);
        assertThat(landed.location()).isEqualTo("http://np.test:8443/x");
        assertThat(browser.cookies("np.test")).containsKey("_pomerium");

        for (String authority : List.of("np.test:8443", "np.test", "np.test:" + fixture.port)) {
            Answer page = browser.get("http://" + authority + "/y");
            assertThat(page.status()).as(authority).isEqualTo(200);
        }
        assertThat(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
    }

    @Test
    void aHandOffIsNeverTakenOnAnotherHost() throws Exception {
        String handOff = handOffFrom("http://np.test:8443/x");
        Answer elsewhere = browser.get(handOff.replace("http://np.test:8443/", "http://app.test:" + fixture.port + "/"));
        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(browser.cookies("app.test")).doesNotContainKey("_pomerium");
    }

    @Test
    void aDefaultPortTheClientWroteIsLeftOutOfTheUrlsTheBrowserIsSentTo() throws Exception {
        Answer first = browser.get("http://np.test:80/x");
        assertThat(first.status()).isEqualTo(302);
        assertThat(URLDecoder.decode(first.location(), StandardCharsets.UTF_8))
                .contains("pomerium_redirect_uri=http://np.test/x").doesNotContain("np.test:80");
        Answer last = browser.open(first.location());
        assertThat(last.url()).isEqualTo("http://np.test/x");
        assertThat(last.status()).isEqualTo(200);
    }
}
