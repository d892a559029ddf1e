package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One Redis server: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://} for TLS.
 *
 * @param address     port 6379 unless the string names one
 * @param credentials empty when the string has no password
 * @param database    the database {@code SELECT}ed, 0 unless the path names one
 */
public record RedisServer(ServerAddress address, boolean tls, Optional<RedisCredentials> credentials, int database)
        implements StorageConnection {

    public RedisServer {
        requireNonNull(address, "address");
        requireNonNull(credentials, "credentials");
        if (database < 0) {
            throw new IllegalArgumentException("database: " + database + " (expected: 0 or more)");
        }
    }
}
