package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection and local view, revoking sessions in one real PostgreSQL. */
class PostgresRevocationStoreTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** What the issue asks of a sign-out on one replica: refused by the other within a second. */
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    /** The listening connection is opened again every second; this leaves room for a slow machine. */
    private static final Duration HEALED = Duration.ofSeconds(15);
    /** The store checks the database's epoch every second. */
    private static final Duration LOSS_NOTICED = Duration.ofSeconds(3);
    private static final String SCOPE = "revoked";
    private static final Duration SESSION_LIFETIME = Duration.ofHours(14);
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection connectionA;
    private PostgresStoreConnection connectionB;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void connect() {
        // Each test a deployment of its own, so that no test sees another's rows.
        tablePrefix = "revocations_" + DEPLOYMENTS.incrementAndGet() + "_";
        // As if the deployments had run on this database before: one without an epoch counts as one that lost its
        // data (see aNewDatabaseRevokesTheSessionsIssuedBeforeItWasFirstUsed).
        seedEpoch(postgres.jdbcUrl(), tablePrefix, SCOPE);
        connectionA = connection(TestPostgres.USER, TestPostgres.PASSWORD);
        connectionB = connection(TestPostgres.USER, TestPostgres.PASSWORD);
    }

    @AfterEach
    void disconnect() {
        connectionA.close();
        connectionB.close();
    }

    @Test
    void aSessionSignedOutOnOneReplicaIsRevokedOnTheOtherWithinASecond() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        PostgresRevocationStore b = replica(connectionB);
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
        PostgresRevocationStore a = replica(connectionA);
        PostgresRevocationStore b = replica(connectionB);
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
    void withPostgresStoppedTheViewAnswersAtOnceAndRevokingFails() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        PostgresRevocationStore b = replica(connectionB);
        subscribed(a, b);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session bob = session("sid-bob", "user-bob", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        eventually("the other replica refuses the session", WITHIN_A_SECOND, revoked(b, alice));

        postgres.stop();
        try {
            CompletableFuture<Boolean> aliceOnB = b.isRevoked(alice, Instant.now()).toCompletableFuture();
            CompletableFuture<Boolean> bobOnB = b.isRevoked(bob, Instant.now()).toCompletableFuture();
            assertThat(aliceOnB).as("answered from the view, without waiting for PostgreSQL").isCompletedWithValue(true);
            assertThat(bobOnB).isCompletedWithValue(false);

            assertThat(unavailable(a.revoke(bob.sessionId(), bob.expiresAt())).getMessage())
                    .doesNotContain(bob.sessionId());
            unavailable(b.revokeUser("user-bob", Instant.now(), bob.expiresAt()));
            unavailable(b.revokeProviderSession("idp-sid", bob.expiresAt()));
            assertThat(b.isRevoked(bob, Instant.now()).toCompletableFuture())
                    .as("a sign-out that failed is not in the view either").isCompletedWithValue(false);
        } finally {
            postgres.startAgain();
        }
        eventually("revoking works again once PostgreSQL is back", HEALED, () -> revokes(a, bob));
        eventually("and reaches the other replica", HEALED, revoked(b, bob));
    }

    @Test
    void aReplicaCutOffWhileAnotherRevokesCatchesUpOnceItReconnects() throws Exception {
        // Replica B signs in as a role of its own, so that the test can end its sessions and keep it out.
        postgres.execute("DROP ROLE IF EXISTS replica_b", "CREATE ROLE replica_b LOGIN SUPERUSER PASSWORD 'b-pw'");
        try (PostgresStoreConnection cutOff = connection("replica_b", "b-pw")) {
            PostgresRevocationStore a = replica(connectionA);
            PostgresRevocationStore b = replica(cutOff);
            subscribed(a, b);
            Session alice = session("sid-alice", "user-alice", Optional.empty());

            postgres.execute("ALTER ROLE replica_b NOLOGIN",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'replica_b'");
            try {
                answer(a.revoke(alice.sessionId(), alice.expiresAt()));
                Thread.sleep(1500);
                assertThat(answer(b.isRevoked(alice, Instant.now()))).as("B missed the notification while cut off")
                        .isFalse();
            } finally {
                postgres.execute("ALTER ROLE replica_b LOGIN");
            }
            eventually("B catches up once it has reconnected", HEALED, revoked(b, alice));
        }
    }

    @Test
    void aReplicaStartedLaterSeesWhatWasRevokedBefore() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        Session carol = session("sid-carol", "user-carol", Optional.of("idp-sid"));
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        answer(a.revokeUser("user-carol", Instant.now().plusSeconds(1), carol.expiresAt()));

        PostgresRevocationStore b = replica(connectionB);
        eventually("the new replica loads what was revoked", HEALED, revoked(b, alice));
        assertThat(answer(b.isRevoked(carol, Instant.now()))).isTrue();
    }

    @Test
    void aReplicaStartedWhilePostgresIsDownCatchesUpOnceItIsThere() throws Exception {
        try (TestPostgres later = TestPostgres.notStarted();
                PostgresStoreConnection first = new PostgresStoreConnection(later.jdbcUrl(), TestPostgres.USER,
                        TestPostgres.PASSWORD, COMMAND_TIMEOUT);
                PostgresStoreConnection second = new PostgresStoreConnection(later.jdbcUrl(), TestPostgres.USER,
                        TestPostgres.PASSWORD, COMMAND_TIMEOUT)) {
            PostgresRevocationStore b = replica(second);
            Session alice = session("sid-alice", "user-alice", Optional.empty());
            assertThat(b.isRevoked(alice, Instant.now()).toCompletableFuture()
                    .get(dev.portcullis.authn.store.SharedRevocationView.FIRST_SYNC_WAIT.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("served from the empty view once the first wait is over").isFalse();

            later.startAgain();
            PostgresRevocationStore a = replica(first);
            eventually("revoking works once PostgreSQL is there", HEALED, () -> revokes(a, alice));
            eventually("the replica started first sees it", HEALED, revoked(b, alice));
        }
    }

    @Test
    void rowsHoldTheLaterEndAndAreDeletedOnceItHasPassed() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        Instant until = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        answer(a.revoke("sid-1", until));
        answer(a.revokeUser("user-1", until.minusSeconds(300), until));
        answer(a.revokeProviderSession("idp-1", until));
        answer(a.revoke("sid-1", until.minusSeconds(60)));
        assertThat(rows("SELECT scope, session_id, expires_at FROM " + tablePrefix + "revoked_sessions"))
                .as("revoking again keeps the later end")
                .containsExactlyInAnyOrder("revoked sid-1 " + until, "revoked provider:idp-1 " + until);
        assertThat(rows("SELECT scope, user_id, issued_before, expires_at FROM " + tablePrefix + "revoked_users"))
                .containsExactly("revoked user-1 " + until.minusSeconds(300) + " " + until);
        eventually("the store records an epoch", HEALED,
                () -> rowsQuietly("SELECT scope FROM " + tablePrefix + "epochs").equals(List.of("revoked")));

        answer(a.revoke("ended", Instant.now().minusSeconds(1)));
        answer(a.revokeUser("ended-user", Instant.now().minusSeconds(5), Instant.now().minusSeconds(1)));
        assertThat(answer(connectionA.deleteExpired())).as("the cleanup deletes what has ended").isEqualTo(2);
        assertThat(rows("SELECT session_id FROM " + tablePrefix + "revoked_sessions"))
                .containsExactlyInAnyOrder("sid-1", "provider:idp-1");
        assertThat(rows("SELECT user_id FROM " + tablePrefix + "revoked_users")).containsExactly("user-1");
    }

    @Test
    void aScopeOrATablePrefixKeepsTwoDeploymentsOnOneDatabaseApart() throws Exception {
        seedEpoch(postgres.jdbcUrl(), tablePrefix, "deployment_a");
        seedEpoch(postgres.jdbcUrl(), tablePrefix + "b_", "deployment_a");
        PostgresRevocationStore first = new PostgresRevocationStore(connectionA, "deployment_a", 1000, SESSION_LIFETIME);
        PostgresRevocationStore firstAgain = new PostgresRevocationStore(connectionB, "deployment_a", 1000, SESSION_LIFETIME);
        try (PostgresStoreConnection otherA = connection(tablePrefix + "b_", TestPostgres.USER, TestPostgres.PASSWORD);
                PostgresStoreConnection otherB = connection(tablePrefix + "b_", TestPostgres.USER, TestPostgres.PASSWORD)) {
            PostgresRevocationStore second = new PostgresRevocationStore(otherA, "deployment_a", 1000, SESSION_LIFETIME);
            PostgresRevocationStore secondAgain = new PostgresRevocationStore(otherB, "deployment_a", 1000, SESSION_LIFETIME);
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
    }

    @Test
    void whenTheTablesAreEmptiedEverySessionIssuedBeforeIsRevokedOnEveryReplica() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        PostgresRevocationStore b = replica(connectionB);
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        assertThat(answer(b.isRevoked(alice, Instant.now()))).isFalse();

        Instant lost = Instant.now();
        postgres.execute("TRUNCATE " + tablePrefix + "revoked_sessions, " + tablePrefix + "revoked_users, "
                + tablePrefix + "epochs");
        eventually("replica A revokes the sessions issued before the loss", LOSS_NOTICED, revoked(a, alice));
        eventually("replica B too", LOSS_NOTICED, revoked(b, alice));
        Session afterwards = sessionIssuedAt("sid-new", "user-alice", lost.plusSeconds(5));
        assertThat(answer(a.isRevoked(afterwards, afterwards.issuedAt().plusSeconds(1)))).as("signing in again works")
                .isFalse();
        assertThat(answer(b.isRevoked(afterwards, afterwards.issuedAt().plusSeconds(1)))).isFalse();
        assertThat(answer(b.isRevoked(alice, lost.plus(SESSION_LIFETIME).plusSeconds(5))))
                .as("not past the longest session lifetime").isFalse();

        List<String> recorded = rows("SELECT lost_before, expires_at FROM " + tablePrefix + "epochs");
        assertThat(recorded).hasSize(1);
        Instant lostBefore = Instant.parse(recorded.get(0).split(" ")[0]);
        Instant recordedUntil = Instant.parse(recorded.get(0).split(" ")[1]);
        assertThat(lostBefore).isBetween(lost, Instant.now());
        assertThat(recordedUntil).as("the loss is recorded until the sessions issued before it have expired")
                .isEqualTo(lostBefore.plus(SESSION_LIFETIME));
        try (PostgresStoreConnection third = connection(TestPostgres.USER, TestPostgres.PASSWORD)) {
            PostgresRevocationStore startedLater = replica(third);
            eventually("a replica started after the loss revokes them too", HEALED, revoked(startedLater, alice));
        }
    }

    @Test
    void whenTheTablesAreDroppedEverySessionIssuedBeforeIsRevoked() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        PostgresRevocationStore b = replica(connectionB);
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());

        postgres.execute("DROP TABLE " + tablePrefix + "revoked_sessions, " + tablePrefix + "revoked_users, "
                + tablePrefix + "epochs");
        eventually("replica B revokes the sessions issued before the loss", HEALED, revoked(b, alice));
        eventually("replica A too", HEALED, revoked(a, alice));
        Session afterwards = sessionIssuedAt("sid-new", "user-alice", Instant.now().plusSeconds(5));
        eventually("revoking works again on the tables made anew", HEALED, () -> revokes(a, afterwards));
        eventually("and reaches the other replica", WITHIN_A_SECOND.multipliedBy(2), revoked(b, afterwards));
    }

    /** Both replicas have checked the database's epoch at least once since it was recorded. */
    private void epochKnownToEveryReplica() throws Exception {
        eventually("an epoch is recorded", HEALED,
                () -> rowsQuietly("SELECT scope FROM " + tablePrefix + "epochs").size() == 1);
        Thread.sleep(LOSS_NOTICED.toMillis());
    }

    private static PostgresRevocationStore replica(PostgresStoreConnection connection) {
        return new PostgresRevocationStore(connection, SCOPE, 10_000, SESSION_LIFETIME);
    }

    private static void seedEpoch(String jdbcUrl, String prefix, String scope) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, TestPostgres.USER,
                TestPostgres.PASSWORD); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + prefix + "epochs (scope text PRIMARY KEY,"
                    + " epoch text NOT NULL, lost_before timestamptz, expires_at timestamptz)");
            statement.execute("INSERT INTO " + prefix + "epochs (scope, epoch) VALUES ('" + scope + "', 'an-earlier-run')"
                    + " ON CONFLICT (scope) DO NOTHING");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNewDatabaseRevokesTheSessionsIssuedBeforeItWasFirstUsed() throws Exception {
        try (PostgresStoreConnection fresh = connection("fresh_" + DEPLOYMENTS.incrementAndGet() + "_", TestPostgres.USER,
                TestPostgres.PASSWORD)) {
            Session before = session("sid-alice", "user-alice", Optional.empty());
            PostgresRevocationStore a = new PostgresRevocationStore(fresh, SCOPE, 1000, SESSION_LIFETIME);
            assertThat(answer(a.isRevoked(before, Instant.now()))).as("a session from before cannot be vouched for").isTrue();
            Session after = sessionIssuedAt("sid-new", "user-alice", Instant.now().plusSeconds(2));
            assertThat(answer(a.isRevoked(after, after.issuedAt()))).as("signing in again works").isFalse();
        }
    }

    @Test
    void aReplicaThatStartsDoesNotAnswerFromAnEmptyViewBeforeItHasReadTheDatabase() throws Exception {
        PostgresRevocationStore a = replica(connectionA);
        Session alice = session("sid-alice", "user-alice", Optional.empty());
        answer(a.revoke(alice.sessionId(), alice.expiresAt()));
        PostgresRevocationStore startedNow = replica(connectionB);
        assertThat(answer(startedNow.isRevoked(alice, Instant.now()))).as("asked at once after start").isTrue();
    }

    private PostgresStoreConnection connection(String user, String password) {
        return connection(tablePrefix, user, password);
    }

    private static PostgresStoreConnection connection(String tablePrefix, String user, String password) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), user, password, new Properties(), tablePrefix,
                COMMAND_TIMEOUT, StoreObserver.NONE);
    }

    /**
     * Waits until both replicas listen (a revocation on each is seen by the other), so that what a test revokes next
     * travels by notification, not by a catch-up.
     */
    private static void subscribed(PostgresRevocationStore a, PostgresRevocationStore b) throws Exception {
        Instant soon = Instant.now().plusSeconds(60);
        for (PostgresRevocationStore[] pair : List.of(new PostgresRevocationStore[] {a, b},
                new PostgresRevocationStore[] {b, a})) {
            String probe = "probe-" + System.nanoTime();
            eventually("a replica listens", HEALED, () -> {
                revokesQuietly(pair[0], probe, soon);
                return answerNow(pair[1].isRevoked(probe, Instant.now()));
            });
        }
    }

    private List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            int columns = row.getMetaData().getColumnCount();
            while (row.next()) {
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    values.add(row.getMetaData().getColumnTypeName(column).equals("timestamptz")
                            ? String.valueOf(SqlInstants.get(row, column)) : row.getString(column));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    private List<String> rowsQuietly(String sql) {
        try {
            return rows(sql);
        } catch (Exception e) {
            return List.of();
        }
    }

    private static Supplier<Boolean> revoked(PostgresRevocationStore store, Session session) {
        return () -> answerNow(store.isRevoked(session, Instant.now()));
    }

    private static boolean revokes(PostgresRevocationStore store, Session session) {
        return revokesQuietly(store, session.sessionId(), session.expiresAt());
    }

    private static boolean revokesQuietly(PostgresRevocationStore store, String sessionId, Instant until) {
        try {
            store.revoke(sessionId, until).toCompletableFuture().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static <T> T answerNow(CompletionStage<T> stage) {
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
                issuedAt.plus(SESSION_LIFETIME), Optional.empty(), Optional.empty(), Optional.empty(),
                providerSessionId);
    }
}
