package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where sign-in state lives ({@code databroker_storage_*}): in this process's memory, or in a Redis that every
 * replica shares.
 *
 * @param connection empty for {@code memory}; the Redis to share state through for {@code redis}
 * @param keyPrefix  put before every key and channel in Redis ({@code databroker_storage_key_prefix},
 *                   {@code portcullis:}), so that several deployments can share one Redis
 * @param tls        how a {@code rediss://} connection is checked and authenticated
 */
public record StorageOptions(Optional<StorageConnection> connection, String keyPrefix, StorageTls tls) {
    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "portcullis:";

    public StorageOptions {
        requireNonNull(connection, "connection");
        requireNonNull(keyPrefix, "keyPrefix");
        requireNonNull(tls, "tls");
        if (keyPrefix.isEmpty()) {
            throw new IllegalArgumentException("keyPrefix: empty (expected e.g. " + DEFAULT_KEY_PREFIX + ")");
        }
    }

    /** One replica, state in memory. */
    public static StorageOptions memory() {
        return new StorageOptions(Optional.empty(), DEFAULT_KEY_PREFIX, StorageTls.SYSTEM);
    }

    /** Whether replicas share state through Redis. */
    public boolean shared() {
        return connection.isPresent();
    }
}
