package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.RevocationStoreContractTest;
import dev.portcullis.authn.store.TestServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RevocationStoreContractTest} on one real Redis (two replicas, each with its own connection and local view),
 * and what is Redis's own: keys under the prefix and their expiry, a frozen Redis, a restart without persistence,
 * the record of a loss.
 */
class RedisRevocationStoreTest extends RevocationStoreContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final String PREFIX = "portcullis:revoked:";
    private static final String OTHER_PREFIX = "deployment-b:revoked:";

    @RegisterExtension
    final RedisReplicas redis = new RedisReplicas(COMMAND_TIMEOUT);

    @BeforeEach
    void recordEpochs() {
        // As if the deployments had run on this Redis before: a Redis without an epoch counts as one that lost its
        // data (see aNewServerRevokesTheSessionsIssuedBeforeItWasFirstUsed).
        for (String prefix : List.of(PREFIX, OTHER_PREFIX)) {
            redis.raw().set(prefix + "epoch", "an-earlier-run");
        }
    }

    @Override
    protected RevocationStore onReplicaA() {
        return replica(redis.replicaA());
    }

    @Override
    protected RevocationStore onReplicaB() {
        return replica(redis.replicaB());
    }

    @Override
    protected RevocationStore onANewReplica() {
        return replica(redis.connection(COMMAND_TIMEOUT));
    }

    @Override
    protected RevocationStore ofAnotherDeploymentOnReplicaA() {
        return new RedisRevocationStore(redis.replicaA(), OTHER_PREFIX, 1000, SESSION_LIFETIME);
    }

    @Override
    protected RevocationStore ofAnotherDeploymentOnReplicaB() {
        return new RedisRevocationStore(redis.replicaB(), OTHER_PREFIX, 1000, SESSION_LIFETIME);
    }

    @Override
    protected RevocationStore ofANewDeployment() {
        redis.raw().flushall(); // no epoch: a new Redis, or one that lost its data while no replica ran
        return replica(redis.replicaA());
    }

    @Override
    protected TestServer server() {
        return redis.server();
    }

    @Override
    protected RevocationStore replicaToCutOff() {
        return replica(redis.replicaB());
    }

    @Override
    protected void cutOff() {
        // No new connection is let in: B's subscription, cut off, cannot come back until the limit is lifted.
        RedisCommands<String, String> admin = redis.raw();
        long connected = admin.clientList().lines().filter(line -> !line.isBlank()).count();
        admin.configSet("maxclients", Long.toString(connected - 2));
        assertThat(admin.clientKill(KillArgs.Builder.typePubsub())).isEqualTo(2L);
    }

    @Override
    protected void letBackIn() {
        redis.raw().configSet("maxclients", "10000");
    }

    @Override
    protected LaterServer notStartedServer() throws Exception {
        TestRedis later = TestRedis.notStarted();
        RedisStoreConnection first = new RedisStoreConnection(later.uri(), COMMAND_TIMEOUT);
        RedisStoreConnection second = new RedisStoreConnection(later.uri(), COMMAND_TIMEOUT);
        return new LaterServer(later, () -> replica(first), () -> replica(second), first, second);
    }

    @Override
    protected boolean epochRecorded() {
        return redis.raw().exists(PREFIX + "epoch") == 1L;
    }

    @Override
    protected void loseData() {
        redis.raw().flushall();
    }

    @Override
    protected void assertLossRecordedUntilSessionsIssuedBeforeExpire(Instant lost) {
        Long lostBeforeExpiry = redis.raw().pexpiretime(PREFIX + "lost-before");
        assertThat(lostBeforeExpiry).as("the loss is recorded until the sessions issued before it have expired")
                .isBetween(lost.plus(SESSION_LIFETIME).toEpochMilli(), Instant.now().plus(SESSION_LIFETIME).toEpochMilli());
    }

    @Test
    void withRedisFrozenTheViewAnswersAtOnceAndRevokingFailsAfterTheCommandTimeout() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        eventually("the other replica refuses the session", WITHIN_A_SECOND, revoked(b, alice));

        redis.server().pause();
        try {
            assertThat(b.isRevoked(alice, Instant.now()).toCompletableFuture()).isCompletedWithValue(true);
            assertThat(unavailable(b.revoke("sid-other", alice.expiresAt())).getMessage()).contains("timed out");
        } finally {
            redis.server().resume();
        }
        eventually("revoking works again once Redis runs again", HEALED, () -> revokes(b, alice));
    }

    @Test
    void keysAreUnderThePrefixAndExpireWhenTheRevocationEnds() throws Exception {
        RevocationStore a = onReplicaA();
        Instant until = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        answer(a.revoke("sid-1", until));
        answer(a.revokeUser("user-1", until.minusSeconds(300), until));
        answer(a.revokeProviderSession("idp-1", until));
        RedisCommands<String, String> admin = redis.raw();
        eventually("the store records an epoch", HEALED, this::epochRecorded);
        assertThat(admin.keys(PREFIX + "*")).containsExactlyInAnyOrder(PREFIX + "session:sid-1", PREFIX + "user:user-1",
                PREFIX + "session:provider:idp-1", PREFIX + "epoch");
        assertThat(admin.pttl(PREFIX + "epoch")).as("the epoch: one key per deployment, kept").isEqualTo(-1L);
        for (String key : admin.keys(PREFIX + "s*")) {
            assertThat(admin.pexpiretime(key)).as("%s expires with its revocation", key).isEqualTo(until.toEpochMilli());
        }

        answer(a.revoke("sid-1", until.minusSeconds(60)));
        assertThat(admin.pexpiretime(PREFIX + "session:sid-1")).as("revoking again keeps the later end")
                .isEqualTo(until.toEpochMilli());

        answer(a.revoke("short", Instant.now().plusMillis(300)));
        answer(a.revokeUser("short-user", Instant.now(), Instant.now().plusMillis(300)));
        eventually("Redis forgets revocations that ended", Duration.ofSeconds(5),
                () -> admin.exists(PREFIX + "session:short", PREFIX + "user:short-user") == 0L);
        answer(a.revoke("ended", Instant.now().minusSeconds(1)));
        assertThat(admin.exists(PREFIX + "session:ended")).as("a revocation that has ended is not kept").isZero();
    }

    @Test
    void aNewRedisRecordsThatTheSessionsIssuedBeforeItWasFirstUsedAreLost() throws Exception {
        RevocationStore a = ofANewDeployment();
        assertThat(answer(a.isRevoked(session("sid-alice", "user-alice", Optional.empty()), Instant.now()))).isTrue();
        assertThat(redis.raw().get(PREFIX + "lost-before")).isNotNull();
    }

    @Test
    void whenRedisRestartsWithoutItsDataEverySessionIssuedBeforeIsRevoked() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());

        redis.server().stop();
        redis.server().startAgain();
        eventually("replica B revokes the sessions issued before the loss", HEALED, revoked(b, alice));
        eventually("replica A too", HEALED, revoked(a, alice));
    }

    private static RedisRevocationStore replica(RedisStoreConnection connection) {
        return new RedisRevocationStore(connection, PREFIX, 10_000, SESSION_LIFETIME);
    }
}
