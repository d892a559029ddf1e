package dev.portcullis.authn.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.store.LoginThrottleContractTest;
import dev.portcullis.authn.store.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LoginThrottleContractTest} on one real Redis (two replicas, each with its own connection), and what is
 * Redis's own: the keys under the prefix and when they expire.
 */
class RedisLoginThrottleTest extends LoginThrottleContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String THROTTLE = "portcullis:throttle:";

    @RegisterExtension
    final RedisReplicas redis = new RedisReplicas(COMMAND_TIMEOUT);

    @Override
    protected LoginThrottle onReplicaA() {
        return new RedisLoginThrottle(redis.replicaA(), THROTTLE, clock);
    }

    @Override
    protected LoginThrottle onReplicaB() {
        return new RedisLoginThrottle(redis.replicaB(), THROTTLE, clock);
    }

    @Override
    protected LoginThrottle withCommandTimeout(Duration commandTimeout) {
        return new RedisLoginThrottle(redis.connection(commandTimeout), THROTTLE, clock);
    }

    @Override
    protected Duration inFlightLifetime() {
        return RedisLoginThrottle.IN_FLIGHT_LIFETIME;
    }

    @Override
    protected TestServer server() {
        return redis.server();
    }

    @Test
    void keysArePrefixedAndExpireWhenTheyWouldCountForNothing() throws Exception {
        Replica a = new Replica(onReplicaA());
        fail(a, "Alice@example.com", "192.0.2.1");
        assertThat(a.begin("alice@example.com", "192.0.2.1")).isEmpty();
        long now = clock.millis();

        RedisClient client = RedisClient.create(redis.server().uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(redis.raw().keys("*")).containsExactlyInAnyOrder(
                    THROTTLE + "failures:account:alice@example.com", THROTTLE + "failures:address:192.0.2.1",
                    THROTTLE + "in-flight:account:alice@example.com", THROTTLE + "in-flight:address:192.0.2.1");
            assertThat(redis.raw().pexpiretime(THROTTLE + "failures:account:alice@example.com"))
                    .as("the window after the last failure").isEqualTo(now + MemoryLoginThrottle.WINDOW.toMillis());
            assertThat(redis.raw().pexpiretime(THROTTLE + "in-flight:address:192.0.2.1"))
                    .isEqualTo(now + RedisLoginThrottle.IN_FLIGHT_LIFETIME.toMillis());

            a.finished("alice@example.com", "192.0.2.1");
            assertThat(redis.raw().keys(THROTTLE + "in-flight:*")).as("no attempt in flight").isEmpty();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisLoginThrottle(redis.replicaA(), "", clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
    }
}
