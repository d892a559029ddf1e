package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.OneTimeCodesContractTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OneTimeCodesContractTest} on one real Redis (two replicas, each with its own connection), and what is Redis's
 * own: a code is a key under the prefix that Redis forgets at the code's expiry.
 */
class RedisOneTimeCodesTest extends OneTimeCodesContractTest {
    // Generous: these tests are about who gets a code, not about promptness (RedisStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String CODES = "portcullis:code:";

    @RegisterExtension
    final RedisReplicas redis = new RedisReplicas(COMMAND_TIMEOUT);

    @Override
    protected <V> OneTimeCodes<V> onReplicaA(OneTimeCodes.Codec<V> codec) {
        return new RedisOneTimeCodes<>(redis.replicaA(), CODES, codec);
    }

    @Override
    protected <V> OneTimeCodes<V> onReplicaB(OneTimeCodes.Codec<V> codec) {
        return new RedisOneTimeCodes<>(redis.replicaB(), CODES, codec);
    }

    @Override
    protected <V> OneTimeCodes<V> ofAnotherDeployment(OneTimeCodes.Codec<V> codec) {
        return new RedisOneTimeCodes<>(redis.replicaB(), "deployment-b:code:", codec);
    }

    @Test
    void aCodeIsGoneWhenItExpires() throws Exception {
        String code = answer(onReplicaA(ACCOUNTS).issue(new Account("soon@example.com"), Instant.now().plusMillis(300)));
        RedisClient client = RedisClient.create(redis.server().uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            // Taking would use the code up, so the test watches its key instead.
            assertThat(redis.raw().exists(CODES + code)).as("stored under prefix + code").isEqualTo(1L);
            eventually("Redis forgets the expired code", Duration.ofSeconds(5),
                    () -> redis.raw().exists(CODES + code) == 0L);
        } finally {
            client.shutdown();
        }
        assertThat(answer(onReplicaB(ACCOUNTS).take(code))).isEmpty();
    }
}
