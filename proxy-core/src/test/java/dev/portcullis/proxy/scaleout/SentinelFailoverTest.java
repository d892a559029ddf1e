package dev.portcullis.proxy.scaleout;

import static dev.portcullis.proxy.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.proxy.testing.ReplicaPair;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestSentinel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas that find their Redis through Sentinel ({@code redis+sentinel://}) follow a failover: once Sentinel has
 * promoted the Redis replica, people sign in again without any proxy being restarted.
 */
class SentinelFailoverTest {
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    private TestRedis secondary;
    private TestSentinel sentinel;
    private ReplicaPair pair;

    @BeforeEach
    void start() throws Exception {
        TestRedis primary = TestRedis.start();
        try {
            secondary = TestRedis.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
            sentinel = TestSentinel.watching(primary.port());
        } catch (Exception | Error e) {
            primary.close();
            throw e;
        }
        pair = ReplicaPair.start(primary, "databroker_storage_connection_string: redis+sentinel://127.0.0.1:"
                + sentinel.port() + "/" + TestSentinel.MASTER);
    }

    @AfterEach
    void stop() {
        if (pair != null) {
            pair.close();
        }
        if (sentinel != null) {
            sentinel.close();
        }
        if (secondary != null) {
            secondary.close();
        }
    }

    @Test
    void afterTheFailoverSignInWorksAgainWithoutARestart() throws Exception {
        assertThat(signIn().status()).as("signed in through the primary").isEqualTo(200);
        assertThat(within(FAILOVER, sentinel::knowsAHealthyReplica, known -> known))
                .as("Sentinel knows the replica in sync").isTrue();

        pair.redis.stop();
        assertThat(within(FAILOVER, sentinel::primaryPort, port -> port == secondary.port()))
                .as("Sentinel promoted the replica").isEqualTo(secondary.port());

        Answer again = within(FAILOVER, this::signIn, answer -> answer.status() == 200);
        assertThat(again.status()).as("a sign-in after the failover: %s", again.body()).isEqualTo(200);
        for (String replica : List.of("r1", "r2")) {
            Answer answer = within(FAILOVER, () -> signIn("X-Replica", replica), a -> a.status() == 200);
            assertThat(answer.status()).as("every step on %s, which reaches the new primary", replica).isEqualTo(200);
        }
    }

    private Answer signIn(String... headers) throws Exception {
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        return lastOf(pair.browser().follow(pair.url("app", "/"), headers));
    }

    private static Answer lastOf(List<Answer> hops) {
        return hops.get(hops.size() - 1);
    }
}
