package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
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

/** Two replicas, each with its own connection, claiming ids in one real Redis. */
class RedisSingleUseTest {
    // Generous: these tests are about who wins, not about promptness (RedisStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String HANDOFFS = "portcullis:handoff:";

    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        replicaA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        replicaB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
    }

    @AfterEach
    void stop() {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void anIdClaimedOnOneReplicaIsRefusedByTheOther() throws Exception {
        SingleUseOn a = new SingleUseOn(new RedisSingleUse(replicaA, HANDOFFS));
        SingleUseOn b = new SingleUseOn(new RedisSingleUse(replicaB, HANDOFFS));
        Instant inAMinute = Instant.now().plusSeconds(60);

        assertThat(a.claim("h1", inAMinute)).isTrue();
        assertThat(b.claim("h1", inAMinute)).as("the other replica").isFalse();
        assertThat(a.claim("h1", inAMinute)).as("the same replica again").isFalse();
        assertThat(b.claim("h2", inAMinute)).as("another id").isTrue();
    }

    @Test
    void whenBothReplicasRaceForManyIdsEachIdHasExactlyOneWinner() throws Exception {
        RedisSingleUse[] replicas = {new RedisSingleUse(replicaA, HANDOFFS), new RedisSingleUse(replicaB, HANDOFFS)};
        Instant inAMinute = Instant.now().plusSeconds(60);
        for (RedisSingleUse replica : replicas) {
            // Connected and warm before the race, so that the race is about Redis, not about connecting.
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
                    RedisSingleUse replica = replicas[claim % 2];
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
    void anIdIsForgottenWhenItExpires() throws Exception {
        SingleUseOn a = new SingleUseOn(new RedisSingleUse(replicaA, HANDOFFS));
        SingleUseOn b = new SingleUseOn(new RedisSingleUse(replicaB, HANDOFFS));

        assertThat(a.claim("short", Instant.now().plusMillis(300))).isTrue();
        assertThat(b.claim("short", Instant.now().plusSeconds(60))).as("before it expires").isFalse();
        eventually("the expired id can be claimed again", Duration.ofSeconds(5),
                () -> b.claimQuietly("short", Instant.now().plusSeconds(60)));

        assertThat(a.claim("past", Instant.now().minusSeconds(1))).as("an expiry that has passed").isTrue();
        assertThat(b.claim("past", Instant.now().plusSeconds(60))).as("forgotten at once").isTrue();
        assertThat(a.claim("epoch", Instant.EPOCH)).as("PXAT must be positive; the epoch has passed too").isTrue();
    }

    @Test
    void keysAreThePrefixAndTheIdAndExpireAtTheClaimsExpiry() throws Exception {
        Instant expiresAt = Instant.ofEpochMilli(System.currentTimeMillis() + 60_000);
        new SingleUseOn(new RedisSingleUse(replicaA, "deployment-a:handoff:")).claim("id-1", expiresAt);

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(raw.sync().keys("*")).containsExactly("deployment-a:handoff:id-1");
            assertThat(raw.sync().pexpiretime("deployment-a:handoff:id-1")).isEqualTo(expiresAt.toEpochMilli());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aKeyPrefixKeepsTwoDeploymentsOnOneRedisApart() throws Exception {
        SingleUseOn first = new SingleUseOn(new RedisSingleUse(replicaA, "deployment-a:handoff:"));
        SingleUseOn second = new SingleUseOn(new RedisSingleUse(replicaB, "deployment-b:handoff:"));
        Instant inAMinute = Instant.now().plusSeconds(60);

        assertThat(first.claim("same-id", inAMinute)).isTrue();
        assertThat(second.claim("same-id", inAMinute)).as("the other deployment's own first claim").isTrue();
        assertThat(second.claim("same-id", inAMinute)).isFalse();
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisSingleUse(replicaA, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A store whose answers the test waits for. */
    private record SingleUseOn(RedisSingleUse store) {
        boolean claim(String id, Instant expiresAt) throws Exception {
            return answer(store.claim(id, expiresAt));
        }

        boolean claimQuietly(String id, Instant expiresAt) {
            try {
                return claim(id, expiresAt);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
