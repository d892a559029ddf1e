package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A Redis whose primary Sentinel names:
 * {@code redis+sentinel://[:password@]host[:port][,host[:port]…]/master[/db][?username=…&password=…]}
 * ({@code rediss+sentinel://} or {@code redis+sentinels://} for TLS). As in Pomerium, the password before the
 * hosts is the Sentinels' own and the primary's credentials are the query's {@code username} and
 * {@code password}.
 *
 * @param sentinels           port 26379 unless the string names one
 * @param sentinelCredentials what the Sentinels are authenticated with
 * @param master              the name the Sentinels monitor the primary under
 * @param masterCredentials   what the primary (and its replicas) are authenticated with
 * @param database            0 unless the path names one
 */
public record RedisSentinel(List<ServerAddress> sentinels, boolean tls, Optional<RedisCredentials> sentinelCredentials,
        String master, Optional<RedisCredentials> masterCredentials, int database) implements StorageConnection {

    public RedisSentinel {
        sentinels = List.copyOf(sentinels);
        if (sentinels.isEmpty()) {
            throw new IllegalArgumentException("sentinels: none (expected: at least one)");
        }
        requireNonNull(sentinelCredentials, "sentinelCredentials");
        requireNonNull(master, "master");
        requireNonNull(masterCredentials, "masterCredentials");
        if (database < 0) {
            throw new IllegalArgumentException("database: " + database + " (expected: 0 or more)");
        }
    }
}
