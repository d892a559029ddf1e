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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoginThrottleContractTest} on one real Redis (two replicas, each with its own connection), and what is
 * Redis's own: the keys under the prefix and when they expire.
 */
class RedisLoginThrottleTest extends LoginThrottleContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String THROTTLE = "portcullis:throttle:";

    private TestRedis redis;
    private RedisStoreConnection connectionA;
    private RedisStoreConnection connectionB;
    private final List<RedisStoreConnection> others = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        connectionA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        connectionB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
    }

    @AfterEach
    void stop() {
        connectionA.close();
        connectionB.close();
        others.forEach(RedisStoreConnection::close);
        redis.close();
    }

    @Override
    protected LoginThrottle onReplicaA() {
        return new RedisLoginThrottle(connectionA, THROTTLE, clock);
    }

    @Override
    protected LoginThrottle onReplicaB() {
        return new RedisLoginThrottle(connectionB, THROTTLE, clock);
    }

    @Override
    protected LoginThrottle withCommandTimeout(Duration commandTimeout) {
        RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), commandTimeout);
        others.add(connection);
        return new RedisLoginThrottle(connection, THROTTLE, clock);
    }

    @Override
    protected Duration inFlightLifetime() {
        return RedisLoginThrottle.IN_FLIGHT_LIFETIME;
    }

    @Override
    protected TestServer server() {
        return redis;
    }

    @Test
    void keysArePrefixedAndExpireWhenTheyWouldCountForNothing() throws Exception {
        Replica a = new Replica(onReplicaA());
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
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new RedisLoginThrottle(connectionA, "", clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
    }
}
