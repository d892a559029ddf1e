package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The contract of a shared {@link RevocationStore}, run against a real server by each store's subclass: replicas with
 * connections and local views ({@link SharedRevocationView}) of their own revoke sessions in one store, and
 * <ul>
 *   <li>a session, a user's sessions issued before a time, or a provider session revoked on one replica is refused on
 *       every other within a second, until the revocation ends; revoking again keeps the later of each time;</li>
 *   <li>while the server is stopped the view answers at once, revoking fails with {@link StoreUnavailable} (and is
 *       not in the view), and both work again once it is back;</li>
 *   <li>a replica that missed a message (cut off), started later, or started while the server was down catches up,
 *       and one that starts does not answer from its empty view before it has read the server;</li>
 *   <li>another deployment on the same server keeps its revocations apart;</li>
 *   <li>a server without the deployment's data (new, or its data lost) revokes every session issued before, up to
 *       the longest session lifetime, on every replica, those started later included; signing in again works.</li>
 * </ul>
 * How revocations and the epoch are kept (keys, rows) and how a replica is told (pub/sub, LISTEN/NOTIFY) is each
 * subclass's own. Before each test the subclass records an epoch for the deployments, as if they had run on the
 * server before.
 */
public abstract class RevocationStoreContractTest {
    /** What the issue asks of a sign-out on one replica: refused by the other within a second. */
    protected static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    /** Replicas reconnect within a second or so; this leaves room for a slow machine. */
    protected static final Duration HEALED = Duration.ofSeconds(15);
    /** The stores check the server's epoch every second. */
    protected static final Duration LOSS_NOTICED = Duration.ofSeconds(3);
    /** The longest session lifetime the stores are given. */
    protected static final Duration SESSION_LIFETIME = Duration.ofHours(14);

    /** A new store of the deployment under test on replica A's connection (with a command timeout of a second). */
    protected abstract RevocationStore onReplicaA();

    /** A new store of the deployment under test on replica B's connection. */
    protected abstract RevocationStore onReplicaB();

    /** A new store of the deployment under test on a connection of its own; the subclass closes it. */
    protected abstract RevocationStore onANewReplica();

    /** A store of another deployment on the same server, on replica A's connection or one of its own. */
    protected abstract RevocationStore ofAnotherDeploymentOnReplicaA();

    /** A store of that other deployment on replica B's connection or another of its own. */
    protected abstract RevocationStore ofAnotherDeploymentOnReplicaB();

    /** A store of a deployment that never used this server (no epoch, as on a new server). */
    protected abstract RevocationStore ofANewDeployment() throws Exception;

    /** The server the replicas share, which the tests stop and start again. */
    protected abstract TestServer server();

    /** A replica whose connection {@link #cutOff} can end and keep out. */
    protected abstract RevocationStore replicaToCutOff() throws Exception;

    /** Ends the connections of {@link #replicaToCutOff} and lets none be opened again. */
    protected abstract void cutOff() throws Exception;

    /** Lets the replica cut off connect again. */
    protected abstract void letBackIn() throws Exception;

    /** A server on a port of its own, not started yet, and connections to it for two replicas. */
    protected abstract LaterServer notStartedServer() throws Exception;

    /** Whether the server holds the deployment's epoch. */
    protected abstract boolean epochRecorded();

    /** Loses every revocation and the epoch of the deployment, as a flush or an emptied table does. */
    protected abstract void loseData() throws Exception;

    /** Asserts that the server records the loss at {@code lost} until the sessions issued before it have expired. */
    protected abstract void assertLossRecordedUntilSessionsIssuedBeforeExpire(Instant lost) throws Exception;

    /** A server not started yet, with two replicas whose connections were made before it starts. */
    protected static final class LaterServer implements AutoCloseable {
        private final TestServer server;
        private final Supplier<RevocationStore> replicaA;
        private final Supplier<RevocationStore> replicaB;
        private final List<AutoCloseable> connections;

        /**
         * @param replicaA    makes a store on the first connection
         * @param replicaB    makes a store on the second
         * @param connections closed, before the server, by {@link #close}
         */
        public LaterServer(TestServer server, Supplier<RevocationStore> replicaA, Supplier<RevocationStore> replicaB,
                AutoCloseable... connections) {
            this.server = server;
            this.replicaA = replicaA;
            this.replicaB = replicaB;
            this.connections = List.of(connections);
        }

        RevocationStore replicaA() {
            return replicaA.get();
        }

        RevocationStore replicaB() {
            return replicaB.get();
        }

        void start() throws Exception {
            server.startAgain();
        }

        @Override
        public void close() throws Exception {
            try {
                for (AutoCloseable connection : connections) {
                    connection.close();
                }
            } finally {
                server.close();
            }
        }
    }

    @Test
    void aSessionSignedOutOnOneReplicaIsRevokedOnTheOtherWithinASecond() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
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
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
        subscribed(a, b);
        Session early = session("sid-1", "user-carol", Optional.empty());
        Session fromProvider = session("sid-2", "user-dave", Optional.of("idp-sid-7"));
        Instant until = Instant.now().plus(SESSION_LIFETIME).truncatedTo(ChronoUnit.SECONDS);

        answer(a.revokeUser("user-carol", early.issuedAt().plusSeconds(1), until));
        answer(a.revokeProviderSession("idp-sid-7", fromProvider.expiresAt()));
        eventually("the other replica refuses every session of the user", WITHIN_A_SECOND, revoked(b, early));
        eventually("and every session of the provider session", WITHIN_A_SECOND, revoked(b, fromProvider));
        assertThat(answer(b.isUserRevoked("user-carol", early.issuedAt().plusSeconds(2), Instant.now())))
                .as("a session of the user issued after the revocation").isFalse();

        answer(b.revokeUser("user-carol", early.issuedAt(), until.plusSeconds(60)));
        assertThat(answer(b.isUserRevoked("user-carol", early.issuedAt(), until.plusSeconds(30))))
                .as("revoking again keeps the later of each time, at once on the replica that revoked").isTrue();
        assertThat(answer(b.isUserRevoked("user-carol", early.issuedAt().plusMillis(500), Instant.now())))
                .as("and the later issued-before").isTrue();
        eventually("both replicas keep the later times", WITHIN_A_SECOND,
                () -> answerNow(b.isUserRevoked("user-carol", early.issuedAt(), until.plusSeconds(30)))
                        && answerNow(a.isUserRevoked("user-carol", early.issuedAt(), until.plusSeconds(30)))
                        && answerNow(a.isUserRevoked("user-carol", early.issuedAt().plusMillis(500), Instant.now())));
    }

    @Test
    void withTheServerStoppedTheViewAnswersAtOnceAndRevokingFails() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session bob = session("sid-bob", "user-bob", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        eventually("the other replica refuses the session", WITHIN_A_SECOND, revoked(b, alice));

        server().stop();
        try {
            CompletableFuture<Boolean> aliceOnB = b.isRevoked(alice, Instant.now()).toCompletableFuture();
            CompletableFuture<Boolean> bobOnB = b.isRevoked(bob, Instant.now()).toCompletableFuture();
            assertThat(aliceOnB).as("answered from the view, without waiting for the server").isCompletedWithValue(true);
            assertThat(bobOnB).isCompletedWithValue(false);

            assertThat(unavailable(a.revoke(bob.sessionId(), bob.expiresAt())).getMessage())
                    .doesNotContain(bob.sessionId());
            unavailable(b.revokeUser("user-bob", Instant.now(), bob.expiresAt()));
            unavailable(b.revokeProviderSession("idp-sid", bob.expiresAt()));
            assertThat(b.isRevoked(bob, Instant.now()).toCompletableFuture())
                    .as("a sign-out that failed is not in the view either").isCompletedWithValue(false);
        } finally {
            server().startAgain();
        }
        eventually("revoking works again once the server is back", HEALED, () -> revokes(a, bob));
        eventually("and reaches the other replica", HEALED, revoked(b, bob));
    }

    @Test
    void aReplicaCutOffWhileAnotherRevokesCatchesUpOnceItReconnects() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = replicaToCutOff();
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());

        cutOff();
        try {
            answer(a.revoke(alice.sessionId(), alice.expiresAt()));
            Thread.sleep(1500);
            assertThat(answer(b.isRevoked(alice, Instant.now()))).as("B missed the message while cut off").isFalse();
        } finally {
            letBackIn();
        }
        eventually("B catches up once it has reconnected", HEALED, revoked(b, alice));
    }

    @Test
    void aReplicaStartedLaterSeesWhatWasRevokedBefore() throws Exception {
        RevocationStore a = onReplicaA();
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session carol = session("sid-carol", "user-carol", Optional.of("idp-sid"));
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        answer(a.revokeUser("user-carol", Instant.now().plusSeconds(1), carol.expiresAt()));

        RevocationStore b = onReplicaB();
        eventually("the new replica loads what was revoked", HEALED, revoked(b, alice));
        assertThat(answer(b.isRevoked(carol, Instant.now()))).isTrue();
    }

    @Test
    void aReplicaStartedWhileTheServerIsDownCatchesUpOnceItIsThere() throws Exception {
        try (LaterServer later = notStartedServer()) {
            RevocationStore b = later.replicaB();
            Session alice = session("sid-alice", "user-alice", Optional.empty());
            assertThat(b.isRevoked(alice, Instant.now()).toCompletableFuture()
                    .get(SharedRevocationView.FIRST_SYNC_WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS))
                    .as("served from the empty view once the first wait is over").isFalse();

            later.start();
            RevocationStore a = later.replicaA();
            eventually("revoking works once the server is there", HEALED, () -> revokes(a, alice));
            eventually("the replica started first sees it", HEALED, revoked(b, alice));
        }
    }

    @Test
    void anotherDeploymentOnTheSameServerKeepsItsRevocationsApart() throws Exception {
        RevocationStore first = onReplicaA();
        RevocationStore firstAgain = onReplicaB();
        RevocationStore second = ofAnotherDeploymentOnReplicaA();
        RevocationStore secondAgain = ofAnotherDeploymentOnReplicaB();
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
    void aNewServerRevokesTheSessionsIssuedBeforeItWasFirstUsed() throws Exception {
        Session before = session("sid-alice", "user-alice", Optional.empty());
        RevocationStore a = ofANewDeployment();
        assertThat(answer(a.isRevoked(before, Instant.now()))).as("a session from before cannot be vouched for").isTrue();
        Session after = sessionIssuedAt("sid-new", "user-alice", Instant.now().plusSeconds(2));
        assertThat(answer(a.isRevoked(after, after.issuedAt()))).as("signing in again works").isFalse();
    }

    @Test
    void aReplicaThatStartsDoesNotAnswerFromAnEmptyViewBeforeItHasReadTheServer() throws Exception {
        RevocationStore a = onReplicaA();
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        RevocationStore startedNow = onReplicaB();
        assertThat(answer(startedNow.isRevoked(alice, Instant.now()))).as("asked at once after start").isTrue();
    }

    @Test
    void whenTheServerLosesItsDataEverySessionIssuedBeforeIsRevokedOnEveryReplica() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        assertThat(answer(b.isRevoked(alice, Instant.now()))).isFalse();

        Instant lost = Instant.now();
        loseData();
        eventually("replica A revokes the sessions issued before the loss", LOSS_NOTICED, revoked(a, alice));
        eventually("replica B too", LOSS_NOTICED, revoked(b, alice));
        Session afterwards = sessionIssuedAt("sid-new", "user-alice", lost.plusSeconds(5));
        assertThat(answer(a.isRevoked(afterwards, afterwards.issuedAt().plusSeconds(1)))).as("signing in again works")
                .isFalse();
        assertThat(answer(b.isRevoked(afterwards, afterwards.issuedAt().plusSeconds(1)))).isFalse();
        assertThat(answer(b.isRevoked(alice, lost.plus(SESSION_LIFETIME).plusSeconds(5))))
                .as("not past the longest session lifetime").isFalse();

        assertLossRecordedUntilSessionsIssuedBeforeExpire(lost);
        RevocationStore startedLater = onANewReplica();
        eventually("a replica started after the loss revokes them too", HEALED, revoked(startedLater, alice));
    }

    /** Both replicas have checked the server's epoch at least once since it was recorded. */
    protected void epochKnownToEveryReplica() throws Exception {
        eventually("an epoch is recorded", HEALED, this::epochRecorded);
        Thread.sleep(LOSS_NOTICED.toMillis());
    }

    /**
     * Waits until both replicas have subscribed (a revocation on each is seen by the other), so that what a test
     * revokes next travels by message, not by a catch-up.
     */
    protected static void subscribed(RevocationStore a, RevocationStore b) throws Exception {
        Instant soon = Instant.now().plusSeconds(60);
        for (RevocationStore[] pair : List.of(new RevocationStore[] {a, b}, new RevocationStore[] {b, a})) {
            String probe = "probe-" + System.nanoTime();
            eventually("a replica subscribed", HEALED, () -> {
                revokesQuietly(pair[0], probe, soon);
                return answerNow(pair[1].isRevoked(probe, Instant.now()));
            });
        }
    }

    /** Whether {@code store} refuses {@code session} now. */
    protected static Supplier<Boolean> revoked(RevocationStore store, Session session) {
        return () -> answerNow(store.isRevoked(session, Instant.now()));
    }

    /** Whether {@code store} revoked {@code session} (false when it could not). */
    protected static boolean revokes(RevocationStore store, Session session) {
        return revokesQuietly(store, session.sessionId(), session.expiresAt());
    }

    private static boolean revokesQuietly(RevocationStore store, String sessionId, Instant until) {
        try {
            store.revoke(sessionId, until).toCompletableFuture().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The answer of {@code stage}, any failure an {@link AssertionError}. */
    protected static <T> T answerNow(CompletionStage<T> stage) {
        try {
            return answer(stage);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A session of {@code userId} issued at {@code issuedAt} for the longest lifetime. */
    protected static Session sessionIssuedAt(String sessionId, String userId, Instant issuedAt) {
        return new Session(sessionId, userId, null, null, List.of(), null, issuedAt, issuedAt.plus(SESSION_LIFETIME),
                Optional.empty(), Optional.empty());
    }

    /** A session of {@code userId} issued a minute ago for the longest lifetime. */
    protected static Session session(String sessionId, String userId, Optional<String> providerSessionId) {
        Instant issuedAt = Instant.now().minusSeconds(60);
        return new Session(sessionId, userId, userId + "@example.com", userId, List.of(), null, issuedAt,
                issuedAt.plus(SESSION_LIFETIME), Optional.empty(), Optional.empty(), Optional.empty(),
                providerSessionId);
    }
}
