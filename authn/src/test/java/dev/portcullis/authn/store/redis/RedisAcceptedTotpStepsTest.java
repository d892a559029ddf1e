package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, accepting TOTP steps in one real Redis. */
class RedisAcceptedTotpStepsTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String STEPS = "portcullis:totp:";
    /** A step of today, as {@code Totp} counts them (30 s each). */
    private static final long STEP = Instant.now().getEpochSecond() / 30;

    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;
    private RedisAcceptedTotpSteps a;
    private RedisAcceptedTotpSteps b;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        replicaA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        replicaB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        a = new RedisAcceptedTotpSteps(replicaA, STEPS);
        b = new RedisAcceptedTotpSteps(replicaB, STEPS);
    }

    @AfterEach
    void stop() {
        replicaA.close();
        replicaB.close();
        redis.close();
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
        RedisAcceptedTotpSteps[] replicas = {a, b};
        for (RedisAcceptedTotpSteps replica : replicas) {
            // Connected and warm before the race, so that the race is about Redis, not about connecting.
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
                    RedisAcceptedTotpSteps replica = replicas[racer % 2];
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
        assertThat(answer(a.acceptLater("bob@example.com", STEP, Instant.now().plusMillis(300)))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP, inNinetySeconds()))).as("before").isFalse();
        eventually("the step is accepted again once forgotten", Duration.ofSeconds(5),
                () -> answerQuietly(b.acceptLater("bob@example.com", STEP, inNinetySeconds())));

        assertThat(answer(a.acceptLater("carol@example.com", STEP, Instant.now().minusSeconds(1))))
                .as("a forgetAfter that has passed").isTrue();
        assertThat(answer(b.acceptLater("carol@example.com", STEP, inNinetySeconds()))).as("forgotten at once").isTrue();
    }

    @Test
    void theKeyIsThePrefixAndTheUserAndExpiresAtTheLaterForgetAfter() throws Exception {
        Instant later = Instant.ofEpochMilli(System.currentTimeMillis() + 90_000);
        Instant earlier = later.minusSeconds(60);
        answer(a.acceptLater("bob@example.com", STEP, later));
        answer(b.acceptLater("bob@example.com", STEP + 1, earlier));

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(raw.sync().keys("*")).containsExactly(STEPS + "bob@example.com");
            assertThat(raw.sync().get(STEPS + "bob@example.com")).startsWith((STEP + 1) + " ");
            assertThat(raw.sync().pexpiretime(STEPS + "bob@example.com")).as("the later forgetAfter")
                    .isEqualTo(later.toEpochMilli());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void whileRedisIsStoppedAcceptingFailsWithStoreUnavailableAndWorksOnceItIsBack() throws Exception {
        try (RedisStoreConnection quick = new RedisStoreConnection(redis.uri(), Duration.ofMillis(500))) {
            RedisAcceptedTotpSteps steps = new RedisAcceptedTotpSteps(quick, STEPS);
            assertThat(answer(steps.acceptLater("bob@example.com", STEP, inNinetySeconds()))).isTrue();

            redis.stop();
            assertThat(unavailable(steps.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())).getMessage())
                    .doesNotContain("bob@example.com");

            redis.startAgain();
            eventually("accepts again after Redis restarted", Duration.ofSeconds(15),
                    () -> answerQuietly(steps.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())));
        }
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisAcceptedTotpSteps(replicaA, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
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
