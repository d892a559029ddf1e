package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A Redis Cluster, found from any of its nodes: {@code redis+cluster://[[user]:password@]host[:port][,host[:port]…]}
 * ({@code rediss+cluster://} or {@code redis+clusters://} for TLS). A cluster has only database 0.
 *
 * @param seeds       the nodes asked for the cluster's layout; port 6379 unless the string names one
 * @param credentials what every node is authenticated with
 */
public record RedisCluster(List<ServerAddress> seeds, boolean tls, Optional<RedisCredentials> credentials)
        implements StorageConnection {

    public RedisCluster {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: none (expected: at least one)");
        }
        requireNonNull(credentials, "credentials");
    }
}
