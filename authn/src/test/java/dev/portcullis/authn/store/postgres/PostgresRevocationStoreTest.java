package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.RevocationStoreContractTest;
import dev.portcullis.authn.store.TestServer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RevocationStoreContractTest} on one real PostgreSQL (two replicas, each with its own connection and local
 * view; each test a deployment with a table prefix of its own), and what is PostgreSQL's own: the rows and their
 * cleanup, dropped tables.
 */
class PostgresRevocationStoreTest extends RevocationStoreContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final String SCOPE = "revoked";

    @RegisterExtension
    static final PostgresReplicas postgres = new PostgresReplicas("revocations", COMMAND_TIMEOUT);

    private PostgresStoreConnection otherDeploymentA;
    private PostgresStoreConnection otherDeploymentB;

    @BeforeEach
    void recordEpochs() throws SQLException {
        // As if the deployments had run on this database before: one without an epoch counts as one that lost its
        // data (see aNewServerRevokesTheSessionsIssuedBeforeItWasFirstUsed).
        seedEpoch(postgres.tablePrefix(), SCOPE);
        seedEpoch(otherDeployment(), SCOPE);
    }

    @Override
    protected RevocationStore onReplicaA() {
        return replica(postgres.replicaA());
    }

    @Override
    protected RevocationStore onReplicaB() {
        return replica(postgres.replicaB());
    }

    @Override
    protected RevocationStore onANewReplica() {
        return replica(postgres.connection(COMMAND_TIMEOUT));
    }

    @Override
    protected RevocationStore ofAnotherDeploymentOnReplicaA() {
        if (otherDeploymentA == null) {
            otherDeploymentA = postgres.connection(otherDeployment(), COMMAND_TIMEOUT);
        }
        return new PostgresRevocationStore(otherDeploymentA, SCOPE, 1000, SESSION_LIFETIME);
    }

    @Override
    protected RevocationStore ofAnotherDeploymentOnReplicaB() {
        if (otherDeploymentB == null) {
            otherDeploymentB = postgres.connection(otherDeployment(), COMMAND_TIMEOUT);
        }
        return new PostgresRevocationStore(otherDeploymentB, SCOPE, 1000, SESSION_LIFETIME);
    }

    @Override
    protected RevocationStore ofANewDeployment() {
        PostgresStoreConnection fresh = postgres.connection(postgres.tablePrefix() + "fresh_", COMMAND_TIMEOUT);
        return new PostgresRevocationStore(fresh, SCOPE, 1000, SESSION_LIFETIME);
    }

    @Override
    protected TestServer server() {
        return postgres.server();
    }

    @Override
    protected RevocationStore replicaToCutOff() throws Exception {
        // Replica B signs in as a role of its own, so that the test can end its sessions and keep it out.
        postgres.server().execute("DROP ROLE IF EXISTS replica_b",
                "CREATE ROLE replica_b LOGIN SUPERUSER PASSWORD 'b-pw'");
        return replica(postgres.connection(postgres.tablePrefix(), "replica_b", "b-pw", COMMAND_TIMEOUT));
    }

    @Override
    protected void cutOff() throws Exception {
        postgres.server().execute("ALTER ROLE replica_b NOLOGIN",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'replica_b'");
    }

    @Override
    protected void letBackIn() throws Exception {
        postgres.server().execute("ALTER ROLE replica_b LOGIN");
    }

    @Override
    protected LaterServer notStartedServer() throws Exception {
        TestPostgres later = TestPostgres.notStarted();
        PostgresStoreConnection first = new PostgresStoreConnection(later.jdbcUrl(), TestPostgres.USER,
                TestPostgres.PASSWORD, COMMAND_TIMEOUT);
        PostgresStoreConnection second = new PostgresStoreConnection(later.jdbcUrl(), TestPostgres.USER,
                TestPostgres.PASSWORD, COMMAND_TIMEOUT);
        return new LaterServer(later, () -> replica(first), () -> replica(second), first, second);
    }

    @Override
    protected boolean epochRecorded() {
        return rowsQuietly("SELECT scope FROM " + postgres.table("epochs")).size() == 1;
    }

    @Override
    protected void loseData() throws Exception {
        postgres.server().execute("TRUNCATE " + String.join(", ", postgres.table("revoked_sessions"),
                postgres.table("revoked_users"), postgres.table("epochs")));
    }

    @Override
    protected void assertLossRecordedUntilSessionsIssuedBeforeExpire(Instant lost) throws Exception {
        List<String> recorded = postgres.rows("SELECT lost_before, expires_at FROM " + postgres.table("epochs"));
        assertThat(recorded).hasSize(1);
        Instant lostBefore = Instant.parse(recorded.get(0).split(" ")[0]);
        Instant recordedUntil = Instant.parse(recorded.get(0).split(" ")[1]);
        assertThat(lostBefore).isBetween(lost, Instant.now());
        assertThat(recordedUntil).as("the loss is recorded until the sessions issued before it have expired")
                .isEqualTo(lostBefore.plus(SESSION_LIFETIME));
    }

    @Test
    void rowsHoldTheLaterEndAndAreDeletedOnceItHasPassed() throws Exception {
        RevocationStore a = onReplicaA();
        Instant until = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        answer(a.revoke("sid-1", until));
        answer(a.revokeUser("user-1", until.minusSeconds(300), until));
        answer(a.revokeProviderSession("idp-1", until));
        answer(a.revoke("sid-1", until.minusSeconds(60)));
        assertThat(postgres.rows("SELECT scope, session_id, expires_at FROM " + postgres.table("revoked_sessions")))
                .as("revoking again keeps the later end")
                .containsExactlyInAnyOrder("revoked sid-1 " + until, "revoked provider:idp-1 " + until);
        assertThat(postgres.rows("SELECT scope, user_id, issued_before, expires_at FROM "
                + postgres.table("revoked_users")))
                .containsExactly("revoked user-1 " + until.minusSeconds(300) + " " + until);
        eventually("the store records an epoch", HEALED,
                () -> rowsQuietly("SELECT scope FROM " + postgres.table("epochs")).equals(List.of("revoked")));

        answer(a.revoke("ended", Instant.now().minusSeconds(1)));
        answer(a.revokeUser("ended-user", Instant.now().minusSeconds(5), Instant.now().minusSeconds(1)));
        assertThat(answer(postgres.replicaA().deleteExpired())).as("the cleanup deletes what has ended").isEqualTo(2);
        assertThat(postgres.rows("SELECT session_id FROM " + postgres.table("revoked_sessions")))
                .containsExactlyInAnyOrder("sid-1", "provider:idp-1");
        assertThat(postgres.rows("SELECT user_id FROM " + postgres.table("revoked_users"))).containsExactly("user-1");
    }

    @Test
    void whenTheTablesAreDroppedEverySessionIssuedBeforeIsRevoked() throws Exception {
        RevocationStore a = onReplicaA();
        RevocationStore b = onReplicaB();
        subscribed(a, b);
        epochKnownToEveryReplica();
        Session alice = session("sid-alice", "user-alice", Optional.empty());

        postgres.server().execute("DROP TABLE " + String.join(", ", postgres.table("revoked_sessions"),
                postgres.table("revoked_users"), postgres.table("epochs")));
        eventually("replica B revokes the sessions issued before the loss", HEALED, revoked(b, alice));
        eventually("replica A too", HEALED, revoked(a, alice));
        Session afterwards = sessionIssuedAt("sid-new", "user-alice", Instant.now().plusSeconds(5));
        eventually("revoking works again on the tables made anew", HEALED, () -> revokes(a, afterwards));
        eventually("and reaches the other replica", WITHIN_A_SECOND.multipliedBy(2), revoked(b, afterwards));
    }

    private String otherDeployment() {
        return postgres.tablePrefix() + "b_";
    }

    private static PostgresRevocationStore replica(PostgresStoreConnection connection) {
        return new PostgresRevocationStore(connection, SCOPE, 10_000, SESSION_LIFETIME);
    }

    private static void seedEpoch(String prefix, String scope) throws SQLException {
        postgres.server().execute("CREATE TABLE IF NOT EXISTS " + prefix + "epochs (scope text PRIMARY KEY,"
                + " epoch text NOT NULL, lost_before timestamptz, expires_at timestamptz)",
                "INSERT INTO " + prefix + "epochs (scope, epoch) VALUES ('" + scope + "', 'an-earlier-run')"
                        + " ON CONFLICT (scope) DO NOTHING");
    }

    private List<String> rowsQuietly(String sql) {
        try {
            return postgres.rows(sql);
        } catch (Exception e) {
            return List.of();
        }
    }
}
