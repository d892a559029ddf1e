package dev.portcullis.proxy.scaleout;

import static dev.portcullis.proxy.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.postgres.TestPostgres;
import dev.portcullis.proxy.testing.ReplicaPair;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas behind a real HAProxy doing round robin, sharing one real PostgreSQL (as current Pomerium keeps its
 * databroker there): the same semantics and fault answers as on Redis, with LISTEN/NOTIFY where Redis has pub/sub.
 */
class ReplicasOnPostgresTest {
    private ReplicaPair pair;

    @AfterEach
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private void startWithPostgres() throws Exception {
        pair = ReplicaPair.startOnPostgres(TestPostgres.start(), "");
    }

    @Test
    void postgresComingUpAfterTheReplicasIsUsedWithoutARestart() throws Exception {
        TestPostgres postgres = TestPostgres.notStarted();
        pair = ReplicaPair.startOnPostgres(postgres, "");
        assertThat(pair.browser().get(pair.url("public", "/"), "X-Replica", "r1").status()).isEqualTo(200);
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(lastOf(pair.browser().follow(pair.url("app", "/"))).status()).as("no database yet").isEqualTo(503);

        postgres.startAgain();
        Answer signedIn = within(Duration.ofSeconds(15), () -> {
            pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
            return lastOf(pair.browser().follow(pair.url("app", "/first")));
        }, a -> a.status() == 200);
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(pair.browser().get(pair.url("public", "/"), "X-Replica", "r2").status()).isEqualTo(200);
    }

    @Test
    void aSignInSpreadOverBothReplicasWorksAndASignOutOnOneIsRefusedByTheOtherWithinASecond() throws Exception {
        startWithPostgres();
        SignInClient alice = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = alice.follow(pair.url("app", "/"));
        assertThat(lastOf(hops).status()).isEqualTo(200);
        assertThat(ReplicaPair.servedBy(hops)).contains("r1", "r2");
        String cookie = alice.cookies("app.test").get("_pomerium");

        assertThat(lastOf(alice.follow(pair.url("app", "/.pomerium/sign_out"), "X-Replica", "r1")).status())
                .isBetween(200, 299);
        SignInClient copy = pair.browser();
        copy.cookies("app.test").put("_pomerium", cookie);
        Answer refused = within(Duration.ofSeconds(1), () -> copy.get(pair.url("app", "/after"), "X-Replica", "r2"),
                a -> a.status() == 302);
        assertThat(refused.status()).isEqualTo(302);
        assertThat(pair.upstream.requests()).noneMatch(r -> r.rawPath().equals("/after"));
    }

    @Test
    void aHandOffRedeemedOnOneReplicaIsRefusedOnTheOther() throws Exception {
        startWithPostgres();
        SignInClient browser = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        String next = pair.url("app", "/");
        String handOff = null;
        for (int hop = 0; hop < 8 && handOff == null; hop++) {
            Answer answer = browser.get(next);
            next = URI.create(next).resolve(answer.location()).toString();
            if (next.contains("/.pomerium/callback/")) {
                handOff = next;
            }
        }
        assertThat(handOff).isNotNull();
        assertThat(browser.get(handOff, "X-Replica", "r1").headers("set-cookie")).anyMatch(c -> c.startsWith("_pomerium="));
        Answer replayed = pair.browser().get(handOff, "X-Replica", "r2");
        assertThat(replayed.headers("set-cookie")).noneMatch(c -> c.startsWith("_pomerium=") && !c.contains("Max-Age=0"));
    }

    @Test
    void withPostgresStoppedSignedInPeopleKeepWorkingSignInAnswers503AndItHealsWithoutARestart() throws Exception {
        startWithPostgres();
        TestPostgres postgres = pair.store(TestPostgres.class);
        SignInClient alice = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(lastOf(alice.follow(pair.url("app", "/"))).status()).isEqualTo(200);
        postgres.stop();

        for (String replica : List.of("r1", "r2")) {
            assertThat(alice.get(pair.url("app", "/while-down"), "X-Replica", replica).status()).isEqualTo(200);
        }
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        Answer refused = lastOf(pair.browser().follow(pair.url("app", "/")));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("session store").containsPattern("Request ID: <code>[^<]+</code>")
                .doesNotContain(TestPostgres.PASSWORD);

        postgres.startAgain();
        Answer healed = within(Duration.ofSeconds(15), () -> {
            pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
            return lastOf(pair.browser().follow(pair.url("app", "/healed")));
        }, a -> a.status() == 200);
        assertThat(healed.status()).as("signing in works again without a restart").isEqualTo(200);
    }

    @Test
    void emptiedTablesMakeEveryoneSignInAgainAndNeverBringARevokedSessionBack() throws Exception {
        startWithPostgres();
        TestPostgres postgres = pair.store(TestPostgres.class);
        SignInClient alice = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(lastOf(alice.follow(pair.url("app", "/"))).status()).isEqualTo(200);
        String cookie = alice.cookies("app.test").get("_pomerium");
        SignInClient bob = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        assertThat(lastOf(bob.follow(pair.url("app", "/"))).status()).isEqualTo(200);
        assertThat(lastOf(alice.follow(pair.url("app", "/.pomerium/sign_out"), "X-Replica", "r1")).status())
                .isBetween(200, 299);
        pair.clock.advance(Duration.ofSeconds(2)); // the sessions are from an earlier second than the loss

        postgres.execute("DROP TABLE portcullis_revoked_sessions, portcullis_revoked_users, portcullis_epochs");
        pair.restart(1); // a replica that starts after the loss must not trust the emptied tables

        SignInClient copy = pair.browser();
        copy.cookies("app.test").put("_pomerium", cookie);
        for (String replica : List.of("r1", "r2", "r1", "r2")) {
            assertThat(copy.get(pair.url("app", "/revoked"), "X-Replica", replica).status())
                    .as("the signed-out session on %s", replica).isEqualTo(302);
        }
        Answer bobAfter = within(Duration.ofSeconds(5), () -> bob.get(pair.url("app", "/bob"), "X-Replica", "r1"),
                a -> a.status() == 302);
        assertThat(bobAfter.status()).as("sessions from before the loss sign in again").isEqualTo(302);
        assertThat(pair.upstream.requests()).noneMatch(r -> r.rawPath().equals("/revoked"));
    }

    private static Answer lastOf(List<Answer> hops) {
        return hops.get(hops.size() - 1);
    }
}
