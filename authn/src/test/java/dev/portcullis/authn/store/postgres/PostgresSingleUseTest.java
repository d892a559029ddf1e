package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.SingleUseContractTest;
import dev.portcullis.authn.store.StoreObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SingleUseContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test a
 * deployment with a table prefix of its own), and what is PostgreSQL's own: rows and their cleanup, scopes, the
 * store's threads and observer, instants outside PostgreSQL's range.
 */
class PostgresSingleUseTest extends SingleUseContractTest {
    // Generous: these tests are about who wins, not about promptness (PostgresStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final PostgresReplicas postgres = new PostgresReplicas("single_use", COMMAND_TIMEOUT);

    @Override
    protected SingleUse onReplicaA() {
        return new PostgresSingleUse(postgres.replicaA(), "handoff");
    }

    @Override
    protected SingleUse onReplicaB() {
        return new PostgresSingleUse(postgres.replicaB(), "handoff");
    }

    @Override
    protected SingleUse ofAnotherDeployment() {
        PostgresStoreConnection other = postgres.connection(postgres.tablePrefix() + "other_", COMMAND_TIMEOUT);
        return new PostgresSingleUse(other, "handoff");
    }

    @Test
    void anExpiryBeforePostgresRangeHasPassedAllTheSame() throws Exception {
        // RedisSingleUse cannot take Instant.MIN (its PXAT is in milliseconds since the epoch): PostgreSQL's alone.
        assertThat(answer(onReplicaA().claim("long-ago", Instant.MIN)))
                .as("before PostgreSQL's range: passed all the same").isTrue();
        assertThat(answer(onReplicaB().claim("long-ago", Instant.now().plusSeconds(60)))).as("absent at once").isTrue();
    }

    @Test
    void rowsHoldTheScopeTheIdAndTheExpiryAndTheCleanupDeletesExpiredOnes() throws Exception {
        Instant expiresAt = Instant.ofEpochMilli(System.currentTimeMillis() + 60_000);
        Instant passed = Instant.ofEpochMilli(System.currentTimeMillis() - 1_000);
        answer(new PostgresSingleUse(postgres.replicaA(), "handoff").claim("id-1", expiresAt));
        answer(new PostgresSingleUse(postgres.replicaA(), "handoff").claim("gone", passed));
        assertThat(rows()).containsExactlyInAnyOrder("handoff id-1 " + expiresAt,
                "handoff gone " + passed);

        assertThat(answer(postgres.replicaB().deleteExpired())).isEqualTo(1);
        assertThat(rows()).containsExactly("handoff id-1 " + expiresAt);
    }

    @Test
    void aScopeKeepsTwoStoresOfOneDeploymentApart() throws Exception {
        Instant inAMinute = Instant.now().plusSeconds(60);
        PostgresSingleUse handoffs = new PostgresSingleUse(postgres.replicaA(), "handoff");
        PostgresSingleUse states = new PostgresSingleUse(postgres.replicaB(), "state");

        assertThat(answer(handoffs.claim("same-id", inAMinute))).isTrue();
        assertThat(answer(states.claim("same-id", inAMinute))).as("another store's own first claim").isTrue();
        assertThat(answer(states.claim("same-id", inAMinute))).isFalse();
    }

    @Test
    void theCallerNeverWaitsForJdbcAndTheObserverIsToldOfEachAnswer() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        try (PostgresStoreConnection observed = new PostgresStoreConnection(postgres.server().jdbcUrl(),
                TestPostgres.USER, TestPostgres.PASSWORD, new Properties(), postgres.tablePrefix(), COMMAND_TIMEOUT,
                new StoreObserver() {
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
        assertThatThrownBy(() -> new PostgresSingleUse(postgres.replicaA(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope");
        assertThatThrownBy(() -> new PostgresSingleUse(postgres.replicaA(), "x'; DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope");
        assertThatThrownBy(() -> postgres.connection("bad-prefix", COMMAND_TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    }

    private List<String> rows() throws Exception {
        return postgres.rows("SELECT scope, id, expires_at FROM " + postgres.table("single_use"));
    }
}
