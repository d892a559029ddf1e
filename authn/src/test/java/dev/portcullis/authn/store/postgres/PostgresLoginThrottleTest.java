package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

/**
 * Two replicas, each with its own connection, throttling sign-ins in one real PostgreSQL, by MemoryLoginThrottle's
 * rules (the same tests as PostgresLoginThrottleTest's). The replicas share a clock that starts now and that the tests
 * move forward.
 */
class PostgresLoginThrottleTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String THROTTLE = "throttle";
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private final MovableClock clock = new MovableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    private String tablePrefix;
    private PostgresStoreConnection connectionA;
    private PostgresStoreConnection connectionB;
    private Replica a;
    private Replica b;

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
        tablePrefix = "throttle_" + DEPLOYMENTS.incrementAndGet() + "_";
        connectionA = connection(COMMAND_TIMEOUT);
        connectionB = connection(COMMAND_TIMEOUT);
        a = new Replica(new PostgresLoginThrottle(connectionA, THROTTLE, clock));
        b = new Replica(new PostgresLoginThrottle(connectionB, THROTTLE, clock));
    }

    @AfterEach
    void disconnect() {
        connectionA.close();
        connectionB.close();
    }

    private PostgresStoreConnection connection(Duration commandTimeout) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, commandTimeout, StoreObserver.NONE);
    }

    @Test
    void failuresOnBothReplicasAddUpToOneLockForTheAccount() throws Exception {
        Replica[] replicas = {a, b};
        for (int i = 0; i < 5; i++) {
            fail(replicas[i % 2], "Alice@example.com", "198.51.100." + i);
        }

        assertThat(a.begin("alice@example.com", "203.0.113.7")).contains(Duration.ofSeconds(1));
        assertThat(b.begin("ALICE@example.com", "203.0.113.8")).as("the email as typed, lower-cased")
                .contains(Duration.ofSeconds(1));
        assertThat(b.begin("bob@example.com", "203.0.113.7")).as("another account").isEmpty();
    }

    @Test
    void failuresOnBothReplicasAddUpToOneLockForTheAddress() throws Exception {
        Replica[] replicas = {a, b};
        for (int i = 0; i < 5; i++) {
            fail(replicas[i % 2], "user" + i + "@example.com", "192.0.2.1");
        }

        assertThat(b.begin("someone.else@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(a.begin("someone.else@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(a.begin("someone.else@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void theFifthFailureLocksForOneSecondThenTheDelayDoublesUpToFiveMinutesWhicheverReplicaFails() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail(i % 2 == 0 ? a : b, "alice@example.com", "192.0.2.1");
        }
        assertThat(a.begin("alice@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        int i = 0;
        for (long expected : new long[] {2, 4, 8, 16, 32, 64, 128, 256, 300, 300}) {
            Replica replica = i++ % 2 == 0 ? a : b;
            clock.advance(replica.begin("alice@example.com", "192.0.2.1").orElseThrow());
            fail(replica, "alice@example.com", "192.0.2.1");
            assertThat(b.begin("alice@example.com", "192.0.2.1")).contains(Duration.ofSeconds(expected));
        }
    }

    @Test
    void theLockEndsOnItsOwnAndFailuresAreForgottenAfterFifteenQuietMinutes() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail(a, "alice@example.com", "192.0.2." + i);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.begin("alice@example.com", "192.0.2.99")).as("the lock ended").isEmpty();
        b.finished("alice@example.com", "192.0.2.99");

        clock.advance(MemoryLoginThrottle.WINDOW);
        for (int i = 0; i < 4; i++) {
            fail(b, "alice@example.com", "192.0.2.99");
        }
        assertThat(a.begin("alice@example.com", "192.0.2.99")).as("four failures since: free").isEmpty();
    }

    @Test
    void aSuccessOnOneReplicaForgetsTheAccountsFailuresEverywhereButNotTheAddresss() throws Exception {
        for (int i = 0; i < 4; i++) {
            fail(a, "alice@example.com", "192.0.2.1");
        }
        assertThat(b.begin("alice@example.com", "192.0.2.1")).isEmpty();
        b.succeeded("alice@example.com", "192.0.2.1");

        fail(a, "alice@example.com", "192.0.2.2");
        assertThat(a.begin("alice@example.com", "192.0.2.2")).as("one failure since the success").isEmpty();
        a.finished("alice@example.com", "192.0.2.2");
        fail(a, "bob@example.com", "192.0.2.1");
        assertThat(b.begin("carol@example.com", "192.0.2.1")).as("the address's fifth failure")
                .contains(Duration.ofSeconds(1));
    }

    @Test
    void attemptsInFlightOnEveryReplicaCountTowardsTheThreshold() throws Exception {
        int started = 0;
        for (int i = 0; i < 20; i++) {
            if ((i % 2 == 0 ? a : b).begin("alice@example.com", "192.0.2." + i).isEmpty()) {
                started++;
            }
        }
        assertThat(started).isEqualTo(MemoryLoginThrottle.THRESHOLD);

        a.finished("alice@example.com", "192.0.2.0");
        assertThat(b.begin("alice@example.com", "192.0.2.50")).as("one ended, one more may start").isEmpty();
        assertThat(a.begin("alice@example.com", "192.0.2.51")).contains(Duration.ofSeconds(1));
    }

    @Test
    void racingAttemptsOnBothReplicasCannotGetPastTheThreshold() throws Exception {
        PostgresLoginThrottle[] replicas = {a.throttle(), b.throttle()};
        for (PostgresLoginThrottle replica : replicas) {
            // Connected and warm before the race, so that the race is about PostgreSQL, not about connecting.
            answer(replica.finished("warm-up@example.com", "192.0.2.200"));
        }
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletionStage<Optional<Duration>>>> asked = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                PostgresLoginThrottle replica = replicas[i % 2];
                String address = "192.0.2." + i;
                asked.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return replica.begin("alice@example.com", address);
                }, callers));
            }
            go.countDown();
            int started = 0;
            for (CompletableFuture<CompletionStage<Optional<Duration>>> attempt : asked) {
                if (answer(answer(attempt)).isEmpty()) {
                    started++;
                }
            }
            assertThat(started).isEqualTo(MemoryLoginThrottle.THRESHOLD);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anAttemptNeverEndedStopsCountingAfterItsLifetime() throws Exception {
        for (int i = 0; i < 4; i++) {
            fail(a, "alice@example.com", "192.0.2.1");
        }
        assertThat(a.begin("alice@example.com", "192.0.2.1")).as("a replica that then stopped").isEmpty();
        assertThat(b.begin("alice@example.com", "192.0.2.2")).contains(Duration.ofSeconds(1));

        clock.advance(PostgresLoginThrottle.IN_FLIGHT_LIFETIME);
        assertThat(b.begin("alice@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void rowsExpireWhenTheyWouldCountForNothing() throws Exception {
        fail(a, "Alice@example.com", "192.0.2.1");
        assertThat(a.begin("alice@example.com", "192.0.2.1")).isEmpty();
        Instant now = clock.instant();

        assertThat(rows("SELECT scope, who, failures, expires_at FROM " + tablePrefix + "throttle_failures"))
                .as("the window after the last failure").containsExactlyInAnyOrder(
                        "throttle account:alice@example.com 1 " + now.plus(MemoryLoginThrottle.WINDOW),
                        "throttle address:192.0.2.1 1 " + now.plus(MemoryLoginThrottle.WINDOW));
        assertThat(rows("SELECT scope, who, expires_at FROM " + tablePrefix + "throttle_attempts"))
                .containsExactlyInAnyOrder(
                        "throttle account:alice@example.com " + now.plus(PostgresLoginThrottle.IN_FLIGHT_LIFETIME),
                        "throttle address:192.0.2.1 " + now.plus(PostgresLoginThrottle.IN_FLIGHT_LIFETIME));

        a.finished("alice@example.com", "192.0.2.1");
        assertThat(rows("SELECT who FROM " + tablePrefix + "throttle_attempts")).as("no attempt in flight").isEmpty();
    }

    @Test
    void whilePostgresIsStoppedEveryStepFailsWithStoreUnavailableAndItWorksOnceItIsBack() throws Exception {
        try (PostgresStoreConnection quick = connection(Duration.ofMillis(500))) {
            PostgresLoginThrottle throttle = new PostgresLoginThrottle(quick, THROTTLE, clock);
            assertThat(answer(throttle.begin("alice@example.com", "192.0.2.1"))).isEmpty();

            postgres.stop();
            try {
                assertThat(unavailable(throttle.begin("alice@example.com", "192.0.2.1")).getMessage())
                        .doesNotContain("alice@example.com");
                unavailable(throttle.failed("alice@example.com", "192.0.2.1"));
                unavailable(throttle.succeeded("alice@example.com", "192.0.2.1"));
                unavailable(throttle.finished("alice@example.com", "192.0.2.1"));
            } finally {
                postgres.startAgain();
            }
            eventually("begins again after PostgreSQL restarted", Duration.ofSeconds(15), () -> {
                try {
                    return throttle.begin("alice@example.com", "192.0.2.1").toCompletableFuture().get().isEmpty();
                } catch (Exception e) {
                    return false;
                }
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

    private static void fail(Replica replica, String email, String address) throws Exception {
        assertThat(replica.begin(email, address)).as("attempt for %s from %s", email, address).isEmpty();
        replica.failed(email, address);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A replica's throttle, whose answers the test waits for. */
    private record Replica(PostgresLoginThrottle throttle) {
        Optional<Duration> begin(String email, String address) throws Exception {
            return answer(throttle.begin(email, address));
        }

        void failed(String email, String address) throws Exception {
            answer(throttle.failed(email, address));
        }

        void succeeded(String email, String address) throws Exception {
            answer(throttle.succeeded(email, address));
        }

        void finished(String email, String address) throws Exception {
            answer(throttle.finished(email, address));
        }
    }

    /** A clock standing still at an instant the test moves forward. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
