package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.SingleUseContractTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SingleUseContractTest} on one real Redis (two replicas, each with its own connection), and what is Redis's
 * own: the keys and their expiry, the key prefix.
 */
class RedisSingleUseTest extends SingleUseContractTest {
    // Generous: these tests are about who wins, not about promptness (RedisStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String HANDOFFS = "portcullis:handoff:";

    @RegisterExtension
    final RedisReplicas redis = new RedisReplicas(COMMAND_TIMEOUT);

    @Override
    protected SingleUse onReplicaA() {
        return new RedisSingleUse(redis.replicaA(), HANDOFFS);
    }

    @Override
    protected SingleUse onReplicaB() {
        return new RedisSingleUse(redis.replicaB(), HANDOFFS);
    }

    @Override
    protected SingleUse ofAnotherDeployment() {
        return new RedisSingleUse(redis.replicaB(), "deployment-b:handoff:");
    }

    @Test
    void keysAreThePrefixAndTheIdAndExpireAtTheClaimsExpiry() throws Exception {
        Instant expiresAt = Instant.ofEpochMilli(System.currentTimeMillis() + 60_000);
        answer(new RedisSingleUse(redis.replicaA(), "deployment-a:handoff:").claim("id-1", expiresAt));

        RedisClient client = RedisClient.create(redis.server().uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(redis.raw().keys("*")).containsExactly("deployment-a:handoff:id-1");
            assertThat(redis.raw().pexpiretime("deployment-a:handoff:id-1")).isEqualTo(expiresAt.toEpochMilli());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisSingleUse(redis.replicaA(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
    }
}
