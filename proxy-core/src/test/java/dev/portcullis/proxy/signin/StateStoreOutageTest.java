package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in's stores failing, as an unreachable networked store would: what needs them fails closed,
 * with a 503 page and a request id, and nothing is served as if the store had said yes.
 */
class StateStoreOutageTest {
    private SignInFixture fixture;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        fixture = SignInFixture.start("");
        browser = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aSignedInRequestWhoseRevocationCannotBeCheckedIsRefusedWith503() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(browser.open(fixture.url("app", "/")).status()).isEqualTo(200);
        int served = fixture.upstream.requests().size();

        fixture.stores.begin();
        Answer refused = browser.get(fixture.url("app", "/private"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("Temporarily unavailable").containsPattern("Request ID: <code>[^<]+</code>")
                .doesNotContain("Exception");
        assertThat(fixture.upstream.requests()).as("nothing reached the upstream").hasSize(served);

        fixture.stores.end();
        assertThat(browser.get(fixture.url("app", "/private")).status()).as("healed without a restart").isEqualTo(200);
    }

    @Test
    void aHandOffThatCannotBeRecordedAsRedeemedIsRefusedWith503() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        String next = fixture.url("app", "/");
        String handOff = null;
        for (int hop = 0; hop < 6 && handOff == null; hop++) {
            Answer answer = browser.get(next);
            assertThat(answer.status()).as(next).isEqualTo(302);
            next = java.net.URI.create(next).resolve(answer.location()).toString();
            if (next.contains("/.pomerium/callback/")) {
                handOff = next;
            }
        }
        assertThat(handOff).as("the authenticate host hands off to the route host").isNotNull();

        fixture.stores.begin();
        Answer refused = browser.get(handOff);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("Temporarily unavailable").containsPattern("Request ID: <code>[^<]+</code>");
        assertThat(refused.headers("set-cookie")).as("no session cookie without the hand-off recorded")
                .noneMatch(cookie -> cookie.startsWith("_pomerium="));
    }

    @Test
    void aSignOutThatCannotBeRecordedIsRefusedAndTheSessionNotCleared() throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(browser.open(fixture.url("app", "/")).status()).isEqualTo(200);

        fixture.stores.begin();
        Answer refused = browser.get(fixture.url("app", "/.pomerium/sign_out"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(browser.cookies("app.test")).containsKey("_pomerium");
    }
}
