package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.builtin.AcceptedTotpSteps;
import dev.portcullis.authn.store.AcceptedTotpStepsContractTest;
import dev.portcullis.authn.store.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AcceptedTotpStepsContractTest} on one real Redis (two replicas, each with its own connection), and what is
 * Redis's own: one key per user under the prefix, expiring at the later {@code forgetAfter}.
 */
class RedisAcceptedTotpStepsTest extends AcceptedTotpStepsContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String STEPS = "portcullis:totp:";

    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;
    private final List<RedisStoreConnection> others = new ArrayList<>();

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
        others.forEach(RedisStoreConnection::close);
        redis.close();
    }

    @Override
    protected AcceptedTotpSteps onReplicaA() {
        return new RedisAcceptedTotpSteps(replicaA, STEPS);
    }

    @Override
    protected AcceptedTotpSteps onReplicaB() {
        return new RedisAcceptedTotpSteps(replicaB, STEPS);
    }

    @Override
    protected AcceptedTotpSteps withCommandTimeout(Duration commandTimeout) {
        RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), commandTimeout);
        others.add(connection);
        return new RedisAcceptedTotpSteps(connection, STEPS);
    }

    @Override
    protected TestServer server() {
        return redis;
    }

    @Test
    void theKeyIsThePrefixAndTheUserAndExpiresAtTheLaterForgetAfter() throws Exception {
        Instant later = Instant.ofEpochMilli(System.currentTimeMillis() + 90_000);
        Instant earlier = later.minusSeconds(60);
        answer(onReplicaA().acceptLater("bob@example.com", STEP, later));
        answer(onReplicaB().acceptLater("bob@example.com", STEP + 1, earlier));

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
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisAcceptedTotpSteps(replicaA, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
    }
}
