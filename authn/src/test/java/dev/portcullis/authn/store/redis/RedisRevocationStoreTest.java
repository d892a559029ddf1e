package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Session;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection and local view, revoking sessions in one real Redis. */
class RedisRevocationStoreTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** What the issue asks of a sign-out on one replica: refused by the other within a second. */
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    /** Lettuce reconnects with a back-off of at most a second; this leaves room for a slow machine. */
    private static final Duration HEALED = Duration.ofSeconds(15);
    /** The store checks Redis's epoch every second. */
    private static final Duration LOSS_NOTICED = Duration.ofSeconds(3);
    private static final String PREFIX = "portcullis:revoked:";
    private static final Duration SESSION_LIFETIME = Duration.ofHours(14);

    private TestRedis redis;
    private RedisStoreConnection connectionA;
    private RedisStoreConnection connectionB;
    private RedisClient rawClient;
    private StatefulRedisConnection<String, String> raw;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        connectionA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        connectionB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect();
        // As if the deployments had run on this Redis before: a Redis without an epoch counts as one that lost its
        // data (see aNewRedisRevokesTheSessionsIssuedBeforeItWasFirstUsed).
        for (String prefix : List.of(PREFIX, "deployment-a:revoked:", "deployment-b:revoked:")) {
            raw.sync().set(prefix + "epoch", "an-earlier-run");
        }
    }

    @AfterEach
    void stop() {
        raw.close();
        rawClient.shutdown();
        connectionA.close();
        connectionB.close();
        redis.close();
    }

    @Test
    void aSessionSignedOutOnOneReplicaIsRevokedOnTheOtherWithinASecond() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session bob = session("sid-bob", "user-bob", Optional.empty());
        subscribed(a, b);

        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        assertThat(answer(a.isRevoked(alice, Instant.now()))).as("on the replica that signed out, at once").isTrue();
        eventually("the other replica refuses the session", WITHIN_A_SECOND, revoked(b, alice));
        assertThat(answer(b.isRevoked(bob, Instant.now()))).as("another session").isFalse();
        assertThat(answer(b.isRevoked(alice, alice.expiresAt()))).as("once the session would have expired").isFalse();
    }

    @Test
    void aUserOrProviderSessionRevokedOnOneReplicaIsRevokedOnTheOther() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        subscribed(a, b);
        Session early = session("sid-1", "user-carol", Optional.empty());
        Session fromProvider = session("sid-2", "user-dave", Optional.of("idp-sid-7"));
        Instant until = Instant.now().plus(Duration.ofHours(14));

        answer(a.revokeUser("user-carol", early.issuedAt().plusSeconds(1), until));
        answer(a.revokeProviderSession("idp-sid-7", fromProvider.expiresAt()));
        eventually("the other replica refuses every session of the user", WITHIN_A_SECOND, revoked(b, early));
        eventually("and every session of the provider session", WITHIN_A_SECOND, revoked(b, fromProvider));
        assertThat(answer(b.isUserRevoked("user-carol", early.issuedAt().plusSeconds(2), Instant.now())))
                .as("a session of the user issued after the revocation").isFalse();

        answer(b.revokeUser("user-carol", early.issuedAt(), until.plusSeconds(60)));
        assertThat(answer(b.isUserRevoked("user-carol", early.issuedAt(), until.plusSeconds(30))))
                .as("revoking again keeps the later of each time, at once on the replica that revoked").isTrue();
        eventually("both replicas keep the later times", WITHIN_A_SECOND,
                () -> answerNow(b.isUserRevoked("user-carol", early.issuedAt(), until.plusSeconds(30)))
                        && answerNow(a.isUserRevoked("user-carol", early.issuedAt(), until.plusSeconds(30))));
    }

    @Test
    void withRedisStoppedTheViewAnswersAtOnceAndRevokingFails() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session bob = session("sid-bob", "user-bob", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        eventually("the other replica refuses the session", WITHIN_A_SECOND, revoked(b, alice));

        redis.stop();
        CompletableFuture<Boolean> aliceOnB = b.isRevoked(alice, Instant.now()).toCompletableFuture();
        CompletableFuture<Boolean> bobOnB = b.isRevoked(bob, Instant.now()).toCompletableFuture();
        assertThat(aliceOnB).as("answered from the view, without waiting for Redis").isCompletedWithValue(true);
        assertThat(bobOnB).isCompletedWithValue(false);

        assertThat(unavailable(a.revoke(bob.sessionId(), bob.expiresAt())).getMessage()).doesNotContain(bob.sessionId());
        unavailable(b.revokeUser("user-bob", Instant.now(), bob.expiresAt()));
        unavailable(b.revokeProviderSession("idp-sid", bob.expiresAt()));
        assertThat(b.isRevoked(bob, Instant.now()).toCompletableFuture())
                .as("a sign-out that failed is not in the view either").isCompletedWithValue(false);

        redis.startAgain();
        eventually("revoking works again once Redis is back", HEALED, () -> revokes(a, bob));
        eventually("and reaches the other replica", HEALED, revoked(b, bob));
    }

    @Test
    void withRedisFrozenTheViewAnswersAtOnceAndRevokingFailsAfterTheCommandTimeout() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        eventually("the other replica refuses the session", WITHIN_A_SECOND, revoked(b, alice));

        redis.pause();
        try {
            assertThat(b.isRevoked(alice, Instant.now()).toCompletableFuture()).isCompletedWithValue(true);
            assertThat(unavailable(b.revoke("sid-other", alice.expiresAt())).getMessage()).contains("timed out");
        } finally {
            redis.resume();
        }
        eventually("revoking works again once Redis runs again", HEALED, () -> revokes(b, alice));
    }

    @Test
    void aReplicaCutOffWhileAnotherRevokesCatchesUpOnceItReconnects() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        RedisCommands<String, String> admin = raw.sync();

        // No new connection is let in: B's subscription, cut off, cannot come back until the limit is lifted.
        long connected = admin.clientList().lines().filter(line -> !line.isBlank()).count();
        admin.configSet("maxclients", Long.toString(connected - 2));
        try {
            assertThat(admin.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub())).isEqualTo(2L);
            answer(a.revoke(alice.sessionId(), alice.expiresAt()));
            Thread.sleep(1500);
            assertThat(answer(b.isRevoked(alice, Instant.now()))).as("B missed the message while cut off").isFalse();
        } finally {
            admin.configSet("maxclients", "10000");
        }
        eventually("B catches up once it has reconnected", HEALED, revoked(b, alice));
    }

    @Test
    void aReplicaStartedLaterSeesWhatWasRevokedBefore() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session carol = session("sid-carol", "user-carol", Optional.of("idp-sid"));
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        answer(a.revokeUser("user-carol", Instant.now().plusSeconds(1), carol.expiresAt()));

        RedisRevocationStore b = replica(connectionB);
        eventually("the new replica loads what was revoked", HEALED, revoked(b, alice));
        assertThat(answer(b.isRevoked(carol, Instant.now()))).isTrue();
    }

    @Test
    void aReplicaStartedWhileRedisIsDownCatchesUpOnceRedisIsThere() throws Exception {
        try (TestRedis later = TestRedis.notStarted();
                RedisStoreConnection first = new RedisStoreConnection(later.uri(), COMMAND_TIMEOUT);
                RedisStoreConnection second = new RedisStoreConnection(later.uri(), COMMAND_TIMEOUT)) {
            RedisRevocationStore b = replica(second);
            Session alice = session("sid-alice", "user-alice", Optional.empty());
            assertThat(b.isRevoked(alice, Instant.now()).toCompletableFuture()
                    .get(dev.portcullis.authn.store.SharedRevocationView.FIRST_SYNC_WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS))
                    .as("served from the empty view once the first wait is over").isFalse();

            later.startAgain();
            RedisRevocationStore a = replica(first);
            eventually("revoking works once Redis is there", HEALED, () -> revokes(a, alice));
            eventually("the replica started first sees it", HEALED, revoked(b, alice));
        }
    }

    @Test
    void keysAreUnderThePrefixAndExpireWhenTheRevocationEnds() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        Instant until = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        answer(a.revoke("sid-1", until));
        answer(a.revokeUser("user-1", until.minusSeconds(300), until));
        answer(a.revokeProviderSession("idp-1", until));
        RedisCommands<String, String> admin = raw.sync();
        eventually("the store records an epoch", HEALED, () -> admin.exists(PREFIX + "epoch") == 1L);
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
    void aKeyPrefixKeepsTwoDeploymentsOnOneRedisApart() throws Exception {
        RedisRevocationStore first = new RedisRevocationStore(connectionA, "deployment-a:revoked:", 1000, SESSION_LIFETIME);
        RedisRevocationStore second = new RedisRevocationStore(connectionB, "deployment-b:revoked:", 1000, SESSION_LIFETIME);
        RedisRevocationStore firstAgain = new RedisRevocationStore(connectionB, "deployment-a:revoked:", 1000, SESSION_LIFETIME);
        RedisRevocationStore secondAgain = new RedisRevocationStore(connectionA, "deployment-b:revoked:", 1000, SESSION_LIFETIME);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        subscribed(first, firstAgain);
        subscribed(second, secondAgain);

        answer(first.revoke(alice.sessionId(), alice.expiresAt()));
        eventually("the same deployment's other replica sees it", WITHIN_A_SECOND, revoked(firstAgain, alice));
        answer(second.revoke("sid-other", alice.expiresAt()));
        eventually("a later revocation in the other deployment is seen there", WITHIN_A_SECOND,
                () -> answerNow(secondAgain.isRevoked("sid-other", Instant.now())));
        assertThat(answer(second.isRevoked(alice, Instant.now()))).as("the other deployment does not").isFalse();
        assertThat(answer(secondAgain.isRevoked(alice, Instant.now()))).isFalse();
        assertThat(answer(first.isRevoked("sid-other", Instant.now()))).isFalse();
    }

    @Test
    void aNewRedisRevokesTheSessionsIssuedBeforeItWasFirstUsed() throws Exception {
        raw.sync().flushall(); // no epoch: a new Redis, or one that lost its data while no replica ran
        Session before = session("sid-alice", "user-alice", Optional.empty());
        RedisRevocationStore a = replica(connectionA);
        assertThat(answer(a.isRevoked(before, Instant.now()))).as("a session from before cannot be vouched for").isTrue();
        Session after = sessionIssuedAt("sid-new", "user-alice", Instant.now().plusSeconds(2));
        assertThat(answer(a.isRevoked(after, after.issuedAt()))).as("signing in again works").isFalse();
        assertThat(raw.sync().get(PREFIX + "lost-before")).isNotNull();
    }

    @Test
    void aReplicaThatStartsDoesNotAnswerFromAnEmptyViewBeforeItHasReadRedis() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        RedisRevocationStore startedNow = replica(connectionB);
        assertThat(answer(startedNow.isRevoked(alice, Instant.now()))).as("asked at once after start").isTrue();
    }

    @Test
    void whenRedisIsFlushedEverySessionIssuedBeforeIsRevokedOnEveryReplica() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        assertThat(answer(b.isRevoked(alice, Instant.now()))).isFalse();

        Instant flushed = Instant.now();
        raw.sync().flushall();
        eventually("replica A revokes the sessions issued before the loss", LOSS_NOTICED, revoked(a, alice));
        eventually("replica B too", LOSS_NOTICED, revoked(b, alice));
        Session afterwards = sessionIssuedAt("sid-new", "user-alice", flushed.plusSeconds(5));
        assertThat(answer(a.isRevoked(afterwards, afterwards.issuedAt().plusSeconds(1)))).as("signing in again works")
                .isFalse();
        assertThat(answer(b.isRevoked(afterwards, afterwards.issuedAt().plusSeconds(1)))).isFalse();
        assertThat(answer(b.isRevoked(alice, flushed.plus(SESSION_LIFETIME).plusSeconds(5))))
                .as("not past the longest session lifetime").isFalse();

        Long lostBeforeExpiry = raw.sync().pexpiretime(PREFIX + "lost-before");
        assertThat(lostBeforeExpiry).as("the loss is recorded until the sessions issued before it have expired")
                .isBetween(flushed.plus(SESSION_LIFETIME).toEpochMilli(),
                        Instant.now().plus(SESSION_LIFETIME).toEpochMilli());
        RedisRevocationStore startedLater = replica(connectionA);
        eventually("a replica started after the loss revokes them too", HEALED, revoked(startedLater, alice));
    }

    @Test
    void whenRedisRestartsWithoutItsDataEverySessionIssuedBeforeIsRevoked() throws Exception {
        RedisRevocationStore a = replica(connectionA);
        RedisRevocationStore b = replica(connectionB);
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());

        redis.stop();
        redis.startAgain();
        eventually("replica B revokes the sessions issued before the loss", HEALED, revoked(b, alice));
        eventually("replica A too", HEALED, revoked(a, alice));
    }

    /** Both replicas have checked Redis's epoch at least once since it was recorded. */
    private void epochKnownToEveryReplica() throws Exception {
        eventually("an epoch is recorded", HEALED, () -> raw.sync().exists(PREFIX + "epoch") == 1L);
        Thread.sleep(LOSS_NOTICED.toMillis());
    }

    private static RedisRevocationStore replica(RedisStoreConnection connection) {
        return new RedisRevocationStore(connection, PREFIX, 10_000, SESSION_LIFETIME);
    }

    /**
     * Waits until both replicas have subscribed (a revocation on each is seen by the other), so that what a test
     * revokes next travels by message, not by a catch-up at subscription.
     */
    private static void subscribed(RedisRevocationStore a, RedisRevocationStore b) throws Exception {
        Instant soon = Instant.now().plusSeconds(60);
        for (RedisRevocationStore[] pair : List.of(new RedisRevocationStore[] {a, b}, new RedisRevocationStore[] {b, a})) {
            String probe = "probe-" + System.nanoTime();
            eventually("a replica subscribed", HEALED, () -> {
                answerNow(pair[0].revoke(probe, soon));
                return answerNow(pair[1].isRevoked(probe, Instant.now()));
            });
        }
    }

    private static Supplier<Boolean> revoked(RedisRevocationStore store, Session session) {
        return () -> answerNow(store.isRevoked(session, Instant.now()));
    }

    private static boolean revokes(RedisRevocationStore store, Session session) {
        try {
            store.revoke(session.sessionId(), session.expiresAt()).toCompletableFuture().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static <T> T answerNow(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return answer(stage);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Session sessionIssuedAt(String sessionId, String userId, Instant issuedAt) {
        return new Session(sessionId, userId, null, null, List.of(), null, issuedAt, issuedAt.plus(SESSION_LIFETIME),
                Optional.empty(), Optional.empty());
    }

    private static Session session(String sessionId, String userId, Optional<String> providerSessionId) {
        Instant issuedAt = Instant.now().minusSeconds(60);
        return new Session(sessionId, userId, userId + "@example.com", userId, List.of(), null, issuedAt,
                issuedAt.plus(Duration.ofHours(14)), Optional.empty(), Optional.empty(), Optional.empty(),
                providerSessionId);
    }
}
