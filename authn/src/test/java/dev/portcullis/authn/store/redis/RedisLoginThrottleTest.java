package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, each with its own connection, throttling sign-ins in one real Redis, by MemoryLoginThrottle's rules.
 * The replicas share a clock that starts now and that the tests move forward (Redis's own expiries then come later
 * than the rules need, never earlier).
 */
class RedisLoginThrottleTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String THROTTLE = "portcullis:throttle:";

    private final MovableClock clock = new MovableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    private TestRedis redis;
    private RedisStoreConnection connectionA;
    private RedisStoreConnection connectionB;
    private Replica a;
    private Replica b;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        connectionA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        connectionB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        a = new Replica(new RedisLoginThrottle(connectionA, THROTTLE, clock));
        b = new Replica(new RedisLoginThrottle(connectionB, THROTTLE, clock));
    }

    @AfterEach
    void stop() {
        connectionA.close();
        connectionB.close();
        redis.close();
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
        RedisLoginThrottle[] replicas = {a.throttle(), b.throttle()};
        for (RedisLoginThrottle replica : replicas) {
            // Connected and warm before the race, so that the race is about Redis, not about connecting.
            answer(replica.finished("warm-up@example.com", "192.0.2.200"));
        }
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletionStage<Optional<Duration>>>> asked = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                RedisLoginThrottle replica = replicas[i % 2];
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

        clock.advance(RedisLoginThrottle.IN_FLIGHT_LIFETIME);
        assertThat(b.begin("alice@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void keysArePrefixedAndExpireWhenTheyWouldCountForNothing() throws Exception {
        fail(a, "Alice@example.com", "192.0.2.1");
        assertThat(a.begin("alice@example.com", "192.0.2.1")).isEmpty();
        long now = clock.millis();

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(raw.sync().keys("*")).containsExactlyInAnyOrder(
                    THROTTLE + "failures:account:alice@example.com", THROTTLE + "failures:address:192.0.2.1",
                    THROTTLE + "in-flight:account:alice@example.com", THROTTLE + "in-flight:address:192.0.2.1");
            assertThat(raw.sync().pexpiretime(THROTTLE + "failures:account:alice@example.com"))
                    .as("the window after the last failure").isEqualTo(now + MemoryLoginThrottle.WINDOW.toMillis());
            assertThat(raw.sync().pexpiretime(THROTTLE + "in-flight:address:192.0.2.1"))
                    .isEqualTo(now + RedisLoginThrottle.IN_FLIGHT_LIFETIME.toMillis());

            a.finished("alice@example.com", "192.0.2.1");
            assertThat(raw.sync().keys(THROTTLE + "in-flight:*")).as("no attempt in flight").isEmpty();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void whileRedisIsStoppedEveryStepFailsWithStoreUnavailableAndItWorksOnceRedisIsBack() throws Exception {
        try (RedisStoreConnection quick = new RedisStoreConnection(redis.uri(), Duration.ofMillis(500))) {
            RedisLoginThrottle throttle = new RedisLoginThrottle(quick, THROTTLE, clock);
            assertThat(answer(throttle.begin("alice@example.com", "192.0.2.1"))).isEmpty();

            redis.stop();
            assertThat(unavailable(throttle.begin("alice@example.com", "192.0.2.1")).getMessage())
                    .doesNotContain("alice@example.com");
            unavailable(throttle.failed("alice@example.com", "192.0.2.1"));
            unavailable(throttle.succeeded("alice@example.com", "192.0.2.1"));
            unavailable(throttle.finished("alice@example.com", "192.0.2.1"));

            redis.startAgain();
            eventually("begins again after Redis restarted", Duration.ofSeconds(15), () -> {
                try {
                    return throttle.begin("alice@example.com", "192.0.2.1").toCompletableFuture().get().isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisLoginThrottle(connectionA, "", clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
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
    private record Replica(RedisLoginThrottle throttle) {
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
