package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.SingleUseContractTest;
import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SingleUseContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test a
 * deployment with a table prefix of its own), and what is PostgreSQL's own: rows and their cleanup, scopes, the
 * store's threads and observer, instants outside PostgreSQL's range.
 */
class PostgresSingleUseTest extends SingleUseContractTest {
    // Generous: these tests are about who wins, not about promptness (PostgresStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;
    private final List<PostgresStoreConnection> others = new ArrayList<>();

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
        tablePrefix = "single_use_" + DEPLOYMENTS.incrementAndGet() + "_";
        replicaA = connection(tablePrefix);
        replicaB = connection(tablePrefix);
    }

    @AfterEach
    void disconnect() {
        replicaA.close();
        replicaB.close();
        others.forEach(PostgresStoreConnection::close);
    }

    @Override
    protected SingleUse onReplicaA() {
        return new PostgresSingleUse(replicaA, "handoff");
    }

    @Override
    protected SingleUse onReplicaB() {
        return new PostgresSingleUse(replicaB, "handoff");
    }

    @Override
    protected SingleUse ofAnotherDeployment() {
        PostgresStoreConnection other = connection(tablePrefix + "other_");
        others.add(other);
        return new PostgresSingleUse(other, "handoff");
    }

    @Test
    void anExpiryBeforePostgresRangeHasPassedAllTheSame() throws Exception {
        // RedisSingleUse cannot take Instant.MIN (its PXAT is in milliseconds since the epoch): PostgreSQL's alone.
        assertThat(answer(onReplicaA().claim("long-ago", Instant.MIN))).as("before PostgreSQL's range: passed all the same")
                .isTrue();
        assertThat(answer(onReplicaB().claim("long-ago", Instant.now().plusSeconds(60)))).as("absent at once").isTrue();
    }

    @Test
    void rowsHoldTheScopeTheIdAndTheExpiryAndTheCleanupDeletesExpiredOnes() throws Exception {
        Instant expiresAt = Instant.ofEpochMilli(System.currentTimeMillis() + 60_000);
        Instant passed = Instant.ofEpochMilli(System.currentTimeMillis() - 1_000);
        answer(new PostgresSingleUse(replicaA, "handoff").claim("id-1", expiresAt));
        answer(new PostgresSingleUse(replicaA, "handoff").claim("gone", passed));
        assertThat(rows()).containsExactlyInAnyOrder("handoff id-1 " + expiresAt.toEpochMilli(),
                "handoff gone " + passed.toEpochMilli());

        assertThat(answer(replicaB.deleteExpired())).isEqualTo(1);
        assertThat(rows()).containsExactly("handoff id-1 " + expiresAt.toEpochMilli());
    }

    @Test
    void aScopeKeepsTwoStoresOfOneDeploymentApart() throws Exception {
        Instant inAMinute = Instant.now().plusSeconds(60);
        PostgresSingleUse handoffs = new PostgresSingleUse(replicaA, "handoff");
        PostgresSingleUse states = new PostgresSingleUse(replicaB, "state");

        assertThat(answer(handoffs.claim("same-id", inAMinute))).isTrue();
        assertThat(answer(states.claim("same-id", inAMinute))).as("another store's own first claim").isTrue();
        assertThat(answer(states.claim("same-id", inAMinute))).isFalse();
    }

    @Test
    void theCallerNeverWaitsForJdbcAndTheObserverIsToldOfEachAnswer() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (PostgresStoreConnection observed = new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER,
                TestPostgres.PASSWORD, new Properties(), tablePrefix, COMMAND_TIMEOUT, new StoreObserver() {
                    @Override
                    public void answered(long nanos) {
                        answered.incrementAndGet();
                    }

                    @Override
                    public void failed(long nanos, dev.portcullis.authn.store.StoreUnavailable failure) {}
                })) {
            String caller = Thread.currentThread().getName();
            String ranOn = answer(observed.<String>ask(jdbc -> Thread.currentThread().getName()));
            assertThat(ranOn)
                    .as("JDBC runs on the store's own threads").startsWith("portcullis-postgres-").isNotEqualTo(caller);
            answer(new PostgresSingleUse(observed, "handoff").claim("id", Instant.now().plusSeconds(60)));
            eventually("the observer was told of both", Duration.ofSeconds(5),
                    () -> answered.get() == 2);
        }
    }

    @Test
    void aScopeOrTablePrefixThatIsNotAPlainNameIsRefused() {
        assertThatThrownBy(() -> new PostgresSingleUse(replicaA, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scope");
        assertThatThrownBy(() -> new PostgresSingleUse(replicaA, "x'; DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope");
        assertThatThrownBy(() -> connection("bad-prefix")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix");
    }

    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT scope, id, expires_at FROM " + tablePrefix + "single_use")) {
            while (row.next()) {
                rows.add(row.getString(1) + " " + row.getString(2) + " " + SqlInstants.get(row, 3).toEpochMilli());
            }
        }
        return rows;
    }

    private static PostgresStoreConnection connection(String tablePrefix) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, COMMAND_TIMEOUT, StoreObserver.NONE);
    }

}
