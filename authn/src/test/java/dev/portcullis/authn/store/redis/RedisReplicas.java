package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two replicas on a real Redis, for a test class's {@code @RegisterExtension} field: for each test a {@link TestRedis}
 * of its own, replica A's and replica B's connections, and, when asked for, a plain Lettuce connection to look at
 * keys with. Connections a test opens through {@link #connection} are closed after it, and Redis stopped.
 */
final class RedisReplicas implements BeforeEachCallback, AfterEachCallback {
    private final Duration commandTimeout;
    private final List<RedisStoreConnection> opened = new ArrayList<>();
    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;
    private RedisClient rawClient;
    private StatefulRedisConnection<String, String> raw;

    /** @param commandTimeout of the replicas' connections */
    RedisReplicas(Duration commandTimeout) {
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        redis = TestRedis.start();
        replicaA = connection(commandTimeout);
        replicaB = connection(commandTimeout);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (raw != null) {
                raw.close();
                rawClient.shutdown();
                raw = null;
            }
            opened.forEach(RedisStoreConnection::close);
            opened.clear();
        } finally {
            redis.close();
        }
    }

    /** This test's Redis. */
    TestRedis server() {
        return redis;
    }

    /** Replica A's connection. */
    RedisStoreConnection replicaA() {
        return replicaA;
    }

    /** Replica B's connection. */
    RedisStoreConnection replicaB() {
        return replicaB;
    }

    /** A connection of its own, with {@code commandTimeout}. */
    RedisStoreConnection connection(Duration commandTimeout) {
        RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), commandTimeout);
        opened.add(connection);
        return connection;
    }

    /** Redis's commands on a plain connection, to look at (and change) what the stores keep. */
    RedisCommands<String, String> raw() {
        if (raw == null) {
            rawClient = RedisClient.create(redis.uri());
            raw = rawClient.connect();
        }
        return raw.sync();
    }
}
