package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where sign-in state lives ({@code databroker_storage_*}): in this process's memory, or in a Redis or PostgreSQL
 * database that every replica shares.
 *
 * @param connection empty for {@code memory}; the Redis or PostgreSQL to share state through
 * @param keyPrefix  put before every key and channel in Redis ({@code databroker_storage_key_prefix},
 *                   {@code portcullis:}), or every table and channel in PostgreSQL ({@code portcullis_}), so that
 *                   several deployments can share one
 * @param tls        how a {@code rediss://} connection is checked and authenticated
 */
public record StorageOptions(Optional<StorageConnection> connection, String keyPrefix, StorageTls tls) {
    /** The default key prefix in Redis. */
    public static final String DEFAULT_KEY_PREFIX = "portcullis:";
    /** The default prefix of table names in PostgreSQL. */
    public static final String DEFAULT_TABLE_PREFIX = "portcullis_";

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

    /** Whether replicas share state through Redis or PostgreSQL. */
    public boolean shared() {
        return connection.isPresent();
    }
}
