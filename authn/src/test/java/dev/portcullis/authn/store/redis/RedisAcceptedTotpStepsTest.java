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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AcceptedTotpStepsContractTest} on one real Redis (two replicas, each with its own connection), and what is
 * Redis's own: one key per user under the prefix, expiring at the later {@code forgetAfter}.
 */
class RedisAcceptedTotpStepsTest extends AcceptedTotpStepsContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String STEPS = "portcullis:totp:";

    @RegisterExtension
    final RedisReplicas redis = new RedisReplicas(COMMAND_TIMEOUT);

    @Override
    protected AcceptedTotpSteps onReplicaA() {
        return new RedisAcceptedTotpSteps(redis.replicaA(), STEPS);
    }

    @Override
    protected AcceptedTotpSteps onReplicaB() {
        return new RedisAcceptedTotpSteps(redis.replicaB(), STEPS);
    }

    @Override
    protected AcceptedTotpSteps withCommandTimeout(Duration commandTimeout) {
        return new RedisAcceptedTotpSteps(redis.connection(commandTimeout), STEPS);
    }

    @Override
    protected TestServer server() {
        return redis.server();
    }

    @Test
    void theKeyIsThePrefixAndTheUserAndExpiresAtTheLaterForgetAfter() throws Exception {
        Instant later = Instant.ofEpochMilli(System.currentTimeMillis() + 90_000);
        Instant earlier = later.minusSeconds(60);
        answer(onReplicaA().acceptLater("bob@example.com", STEP, later));
        answer(onReplicaB().acceptLater("bob@example.com", STEP + 1, earlier));

        RedisClient client = RedisClient.create(redis.server().uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(redis.raw().keys("*")).containsExactly(STEPS + "bob@example.com");
            assertThat(redis.raw().get(STEPS + "bob@example.com")).startsWith((STEP + 1) + " ");
            assertThat(redis.raw().pexpiretime(STEPS + "bob@example.com")).as("the later forgetAfter")
                    .isEqualTo(later.toEpochMilli());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisAcceptedTotpSteps(redis.replicaA(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
    }
}
