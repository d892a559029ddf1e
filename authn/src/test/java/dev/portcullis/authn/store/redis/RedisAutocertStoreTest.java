package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.PROMPTLY;
import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, sharing autocert's state in one real Redis. */
class RedisAutocertStoreTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private TestRedis redis;
    private RedisStoreConnection connectionA;
    private RedisStoreConnection connectionB;
    private RedisAutocertStore a;
    private RedisAutocertStore b;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        connectionA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        connectionB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        a = new RedisAutocertStore(connectionA, "portcullis:");
        b = new RedisAutocertStore(connectionB, "portcullis:");
    }

    @AfterEach
    void stop() {
        connectionA.close();
        connectionB.close();
        redis.close();
    }

    @Test
    void theFirstAccountKeyStoredIsTheOneEveryReplicaReads() throws Exception {
        assertThat(answer(a.account())).isEmpty();
        assertThat(answer(a.createAccount("key A"))).isTrue();
        assertThat(answer(b.createAccount("key B"))).as("another replica, later").isFalse();
        assertThat(answer(b.account())).contains("key A");
    }

    @Test
    void theIssuanceLockHasOneHolderAndOnlyItsHolderReleasesIt() throws Exception {
        Instant inAMinute = Instant.now().plusSeconds(60);
        assertThat(answer(a.lock("app.example.com", "owner-a", inAMinute))).isTrue();
        assertThat(answer(b.lock("app.example.com", "owner-b", inAMinute))).as("held by A").isFalse();
        assertThat(answer(b.lock("other.example.com", "owner-b", inAMinute))).as("another name").isTrue();

        answer(b.unlock("app.example.com", "owner-b"));
        assertThat(answer(b.lock("app.example.com", "owner-b", inAMinute))).as("B cannot release A's lock").isFalse();
        answer(a.unlock("app.example.com", "owner-a"));
        assertThat(answer(b.lock("app.example.com", "owner-b", inAMinute))).as("released by A").isTrue();
    }

    @Test
    void anExpiredLockIsTakenAgain() throws Exception {
        assertThat(answer(a.lock("app.example.com", "owner-a", Instant.now().plusMillis(200)))).isTrue();
        eventually("the lock expires", PROMPTLY, () -> {
            try {
                return answer(b.lock("app.example.com", "owner-b", Instant.now().plusSeconds(60)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aSavedCertificateIsReadByAndAnnouncedToEveryReplica() throws Exception {
        List<Optional<String>> announced = new CopyOnWriteArrayList<>();
        b.watch(announced::add);
        eventually("B subscribed", PROMPTLY, () -> announced.contains(Optional.empty()));

        answer(a.saveCertificate("app.example.com", "key and chain"));

        assertThat(answer(b.certificate("app.example.com"))).contains("key and chain");
        eventually("B was told", PROMPTLY, () -> announced.contains(Optional.of("app.example.com")));
    }

    @Test
    void anHttp01AnswerIsSeenByEveryReplicaUntilWithdrawn() throws Exception {
        answer(a.putHttp01("tok3n", "tok3n.thumbprint", Instant.now().plusSeconds(60)));
        assertThat(answer(b.http01("tok3n"))).contains("tok3n.thumbprint");
        answer(a.removeHttp01("tok3n"));
        assertThat(answer(b.http01("tok3n"))).isEmpty();
    }

    @Test
    void redisUnreachableIsStoreUnavailableNeverAnAnswer() throws Exception {
        redis.stop();
        assertThat(unavailable(a.lock("app.example.com", "owner-a", Instant.now().plusSeconds(60)))).isNotNull();
        assertThat(unavailable(a.certificate("app.example.com"))).isNotNull();
        assertThat(unavailable(a.http01("tok3n"))).isNotNull();
    }
}
