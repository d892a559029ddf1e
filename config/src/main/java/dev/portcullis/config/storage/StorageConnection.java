package dev.portcullis.config.storage;

/**
 * A parsed {@code databroker_storage_connection_string}: one Redis server, a Redis behind Sentinel, or a Redis
 * Cluster, in the forms Pomerium (up to 0.20, through go-redis) accepted, or a PostgreSQL database in the form
 * current Pomerium accepts. The {@code toString()} of every form
 * redacts its passwords, so that logging one never reveals them.
 */
public sealed interface StorageConnection permits RedisServer, RedisSentinel, RedisCluster, PostgresServer {

    /** Whether the connections use TLS ({@code rediss://}, {@code rediss+sentinel://}, {@code redis+clusters://} …). */
    boolean tls();
}
