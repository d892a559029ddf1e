package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, claiming ids in one real PostgreSQL. */
class PostgresSingleUseTest {
    // Generous: these tests are about who wins, not about promptness (PostgresStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;

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
    }

    @Test
    void anIdClaimedOnOneReplicaIsRefusedByTheOther() throws Exception {
        PostgresSingleUse a = new PostgresSingleUse(replicaA, "handoff");
        PostgresSingleUse b = new PostgresSingleUse(replicaB, "handoff");
        Instant inAMinute = Instant.now().plusSeconds(60);

        assertThat(answer(a.claim("h1", inAMinute))).isTrue();
        assertThat(answer(b.claim("h1", inAMinute))).as("the other replica").isFalse();
        assertThat(answer(a.claim("h1", inAMinute))).as("the same replica again").isFalse();
        assertThat(answer(b.claim("h2", inAMinute))).as("another id").isTrue();
    }

    @Test
    void whenBothReplicasRaceForManyIdsEachIdHasExactlyOneWinner() throws Exception {
        PostgresSingleUse[] replicas = {new PostgresSingleUse(replicaA, "handoff"), new PostgresSingleUse(replicaB, "handoff")};
        Instant inAMinute = Instant.now().plusSeconds(60);
        for (PostgresSingleUse replica : replicas) {
            // Connected and warm before the race, so that the race is about PostgreSQL, not about connecting.
            assertThat(answer(replica.claim("warm-up-" + replica.hashCode(), inAMinute))).isTrue();
        }
        int ids = 200;
        int claimsPerId = 8;
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletionStage<Boolean>>> asked = new ArrayList<>();
            for (int id = 0; id < ids; id++) {
                for (int claim = 0; claim < claimsPerId; claim++) {
                    PostgresSingleUse replica = replicas[claim % 2];
                    String key = "race-" + id;
                    asked.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(go);
                        return replica.claim(key, inAMinute);
                    }, callers));
                }
            }
            go.countDown();
            int[] winners = new int[ids];
            for (int i = 0; i < asked.size(); i++) {
                if (answer(answer(asked.get(i)))) {
                    winners[i / claimsPerId]++;
                }
            }
            for (int id = 0; id < ids; id++) {
                assertThat(winners[id]).as("winners of race-%d", id).isEqualTo(1);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anExpiredIdCountsAsAbsentAndIsClaimedAgain() throws Exception {
        PostgresSingleUse a = new PostgresSingleUse(replicaA, "handoff");
        PostgresSingleUse b = new PostgresSingleUse(replicaB, "handoff");

        // Long enough for the next call to come before it, on a busy machine too.
        Instant soon = Instant.now().plusSeconds(2);
        assertThat(answer(a.claim("short", soon))).isTrue();
        assertThat(answer(b.claim("short", Instant.now().plusSeconds(60)))).as("before it expires").isFalse();
        // A claim that loses changes nothing, so asking again and again is no different from asking once it expired.
        eventually("the expired id can be claimed again", Duration.ofSeconds(10),
                () -> claimQuietly(b, "short", Instant.now().plusSeconds(60)));
        assertThat(answer(a.claim("short", Instant.now().plusSeconds(60)))).as("and then remembered").isFalse();

        assertThat(answer(a.claim("past", Instant.now().minusSeconds(1)))).as("an expiry that has passed").isTrue();
        assertThat(answer(b.claim("past", Instant.now().plusSeconds(60)))).as("absent at once").isTrue();
        assertThat(answer(a.claim("epoch", Instant.EPOCH))).isTrue();
        assertThat(answer(a.claim("long-ago", Instant.MIN))).as("before PostgreSQL's range: passed all the same")
                .isTrue();
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
    void aScopeKeepsTwoStoresAndATablePrefixTwoDeploymentsApart() throws Exception {
        Instant inAMinute = Instant.now().plusSeconds(60);
        PostgresSingleUse handoffs = new PostgresSingleUse(replicaA, "handoff");
        PostgresSingleUse states = new PostgresSingleUse(replicaB, "state");
        try (PostgresStoreConnection other = connection(tablePrefix + "other_")) {
            PostgresSingleUse otherDeployment = new PostgresSingleUse(other, "handoff");

            assertThat(answer(handoffs.claim("same-id", inAMinute))).isTrue();
            assertThat(answer(states.claim("same-id", inAMinute))).as("another store's own first claim").isTrue();
            assertThat(answer(otherDeployment.claim("same-id", inAMinute))).as("another deployment's").isTrue();
            assertThat(answer(otherDeployment.claim("same-id", inAMinute))).isFalse();
        }
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
            dev.portcullis.authn.store.Answers.eventually("the observer was told of both", Duration.ofSeconds(5),
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

    private static boolean claimQuietly(PostgresSingleUse store, String id, Instant expiresAt) {
        try {
            return answer(store.claim(id, expiresAt));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
