package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/** Two replicas, each with its own connection, accepting TOTP steps in one real PostgreSQL. */
class PostgresAcceptedTotpStepsTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** A step of today, as {@code Totp} counts them (30 s each). */
    private static final long STEP = Instant.now().getEpochSecond() / 30;
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;
    private PostgresAcceptedTotpSteps a;
    private PostgresAcceptedTotpSteps b;

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
        tablePrefix = "totp_" + DEPLOYMENTS.incrementAndGet() + "_";
        replicaA = connection(COMMAND_TIMEOUT);
        replicaB = connection(COMMAND_TIMEOUT);
        a = new PostgresAcceptedTotpSteps(replicaA, "totp");
        b = new PostgresAcceptedTotpSteps(replicaB, "totp");
    }

    @AfterEach
    void disconnect() {
        replicaA.close();
        replicaB.close();
    }

    @Test
    void aCodeAcceptedOnOneReplicaCannotBeReplayedOnTheOther() throws Exception {
        Instant until = inNinetySeconds();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP, until))).as("replayed on the other replica").isFalse();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).as("replayed on the same replica").isFalse();
        assertThat(answer(b.acceptLater("alice@example.com", STEP, until))).as("another user").isTrue();
    }

    @Test
    void onlyALaterStepIsAcceptedAndAnOlderOneIsRefused() throws Exception {
        Instant until = inNinetySeconds();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP - 1, until))).as("an older step").isFalse();
        assertThat(answer(b.acceptLater("bob@example.com", STEP + 1, until.plusSeconds(30)))).as("later").isTrue();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).as("older than the latest").isFalse();
        assertThat(answer(a.acceptLater("bob@example.com", STEP + 1, until.plusSeconds(30)))).isFalse();
    }

    @Test
    void whenReplicasRaceWithTheSameCodeExactlyOneIsAccepted() throws Exception {
        Instant until = inNinetySeconds();
        PostgresAcceptedTotpSteps[] replicas = {a, b};
        for (PostgresAcceptedTotpSteps replica : replicas) {
            // Connected and warm before the race, so that the race is about PostgreSQL, not about connecting.
            assertThat(answer(replica.acceptLater("warm-up-" + replica.hashCode(), STEP, until))).isTrue();
        }
        int users = 100;
        int racers = 8;
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletionStage<Boolean>>> asked = new ArrayList<>();
            for (int user = 0; user < users; user++) {
                for (int racer = 0; racer < racers; racer++) {
                    PostgresAcceptedTotpSteps replica = replicas[racer % 2];
                    String name = "user" + user + "@example.com";
                    asked.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(go);
                        return replica.acceptLater(name, STEP, until);
                    }, callers));
                }
            }
            go.countDown();
            int[] accepted = new int[users];
            for (int i = 0; i < asked.size(); i++) {
                if (answer(answer(asked.get(i)))) {
                    accepted[i / racers]++;
                }
            }
            for (int user = 0; user < users; user++) {
                assertThat(accepted[user]).as("accepted for user%d", user).isEqualTo(1);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aStepIsForgottenAtItsForgetAfter() throws Exception {
        // Long enough for the next call to come before it, on a busy machine too.
        Instant soon = Instant.now().plusSeconds(2);
        assertThat(answer(a.acceptLater("bob@example.com", STEP, soon))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP, inNinetySeconds()))).as("before").isFalse();
        // A step refused changes nothing, so asking again and again is no different from asking once forgotten.
        eventually("the step is accepted again once forgotten", Duration.ofSeconds(10),
                () -> answerQuietly(b.acceptLater("bob@example.com", STEP, inNinetySeconds())));

        assertThat(answer(a.acceptLater("carol@example.com", STEP, Instant.now().minusSeconds(1))))
                .as("a forgetAfter that has passed").isTrue();
        assertThat(answer(b.acceptLater("carol@example.com", STEP, inNinetySeconds()))).as("forgotten at once").isTrue();
    }

    @Test
    void theRowHoldsTheLatestStepUntilTheLaterForgetAfter() throws Exception {
        Instant later = Instant.now().plusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
        Instant earlier = later.minusSeconds(60);
        answer(a.acceptLater("bob@example.com", STEP, later));
        answer(b.acceptLater("bob@example.com", STEP + 1, earlier));

        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT scope, user_name, step, expires_at FROM " + tablePrefix
                        + "totp_steps")) {
            while (row.next()) {
                rows.add(row.getString(1) + " " + row.getString(2) + " " + row.getLong(3) + " " + SqlInstants.get(row, 4));
            }
        }
        assertThat(rows).containsExactly("totp bob@example.com " + (STEP + 1) + " " + later);
    }

    @Test
    void whilePostgresIsStoppedAcceptingFailsWithStoreUnavailableAndWorksOnceItIsBack() throws Exception {
        try (PostgresStoreConnection quick = connection(Duration.ofMillis(500))) {
            PostgresAcceptedTotpSteps steps = new PostgresAcceptedTotpSteps(quick, "totp");
            assertThat(answer(steps.acceptLater("bob@example.com", STEP, inNinetySeconds()))).isTrue();

            postgres.stop();
            try {
                assertThat(unavailable(steps.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())).getMessage())
                        .doesNotContain("bob@example.com");
            } finally {
                postgres.startAgain();
            }
            eventually("accepts again after PostgreSQL restarted", Duration.ofSeconds(15),
                    () -> answerQuietly(steps.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())));
            assertThat(answer(b.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())))
                    .as("and the other replica saw it").isFalse();
        }
    }

    private PostgresStoreConnection connection(Duration commandTimeout) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, commandTimeout, StoreObserver.NONE);
    }

    private static Instant inNinetySeconds() {
        return Instant.now().plusSeconds(90);
    }

    private static boolean answerQuietly(CompletionStage<Boolean> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (Exception e) {
            return false;
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
