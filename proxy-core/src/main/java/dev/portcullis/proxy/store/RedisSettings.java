package dev.portcullis.proxy.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import dev.portcullis.config.storage.RedisAddress;
import dev.portcullis.config.storage.RedisCredentials;
import dev.portcullis.config.storage.RedisSentinel;
import dev.portcullis.config.storage.RedisServer;
import dev.portcullis.config.storage.StorageConnection;
import dev.portcullis.config.storage.StorageTls;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How Lettuce reaches the Redis of {@code databroker_storage_connection_string}: its {@link RedisURI} (server or
 * Sentinel, credentials, database, TLS and whether the server's certificate is verified), the TLS trust and client
 * certificate of the {@code databroker_storage_*_file} options, and a description for the log that names hosts
 * and never a password.
 *
 * @param uri         what Lettuce connects to
 * @param tls         trust and client certificate for a TLS connection; empty: the JDK's CAs, no certificate
 * @param description e.g. {@code redis at redis:6379} or {@code redis sentinel mymaster at s1:26379,s2:26379}
 */
public record RedisSettings(RedisURI uri, Optional<SslOptions> tls, String description) {

    public RedisSettings {
        requireNonNull(uri, "uri");
        requireNonNull(tls, "tls");
        requireNonNull(description, "description");
    }

    @Override
    public String toString() {
        return "RedisSettings[" + description + "]";
    }

    /**
     * @throws IllegalArgumentException for a Redis Cluster, which the stores do not support (their scripts touch
     *                                  keys of several slots); {@code validate} refuses it first
     */
    public static RedisSettings of(StorageConnection connection, StorageTls tls) {
        RedisURI.Builder uri;
        if (connection instanceof RedisServer server) {
            uri = RedisURI.builder().withHost(server.address().host()).withPort(server.address().port())
                    .withDatabase(server.database());
            server.credentials().ifPresent(c -> authenticate(uri, c));
        } else if (connection instanceof RedisSentinel sentinel) {
            char[] sentinelPassword = sentinel.sentinelCredentials().map(c -> c.password().toCharArray()).orElse(null);
            uri = RedisURI.builder().withSentinelMasterId(sentinel.master()).withDatabase(sentinel.database());
            for (RedisAddress s : sentinel.sentinels()) {
                uri.withSentinel(sentinelUri(s, sentinelPassword));
            }
            sentinel.masterCredentials().ifPresent(c -> authenticate(uri, c));
        } else {
            throw new IllegalArgumentException("redis+cluster is not supported: the session stores need one Redis"
                    + " (a server, or a primary behind Sentinel)");
        }
        if (connection.tls()) {
            uri.withSsl(true).withVerifyPeer(tls.skipVerify() ? SslVerifyMode.NONE : SslVerifyMode.FULL);
        }
        return new RedisSettings(uri.build(), connection.tls() ? sslOptions(tls) : Optional.empty(),
                describe(connection));
    }

    private static void authenticate(RedisURI.Builder uri, RedisCredentials credentials) {
        if (credentials.username().isPresent()) {
            uri.withAuthentication(credentials.username().get(), credentials.password().toCharArray());
        } else {
            uri.withPassword(credentials.password().toCharArray());
        }
    }

    private static Optional<SslOptions> sslOptions(StorageTls tls) {
        if (tls.caPem().isEmpty() && tls.certificatePem().isEmpty()) {
            return Optional.empty();
        }
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        tls.caPem().ifPresent(pem -> ssl.trustManager(() -> new ByteArrayInputStream(pem.getBytes(US_ASCII))));
        tls.certificatePem().ifPresent(pem -> ssl.keyManager(() -> new ByteArrayInputStream(pem.getBytes(US_ASCII)),
                () -> new ByteArrayInputStream(tls.privateKeyPem().orElseThrow().getBytes(US_ASCII)), null));
        return Optional.of(ssl.build());
    }

    private static RedisURI sentinelUri(RedisAddress sentinel, char[] password) {
        RedisURI.Builder uri = RedisURI.builder().withHost(sentinel.host()).withPort(sentinel.port());
        if (password != null) {
            uri.withPassword(password);
        }
        return uri.build();
    }

    private static String describe(StorageConnection connection) {
        if (connection instanceof RedisSentinel sentinel) {
            return "redis primary " + sentinel.master() + " via sentinel "
                    + sentinel.sentinels().stream().map(RedisAddress::toString).collect(Collectors.joining(","))
                    + (sentinel.tls() ? " (TLS)" : "");
        }
        RedisServer server = (RedisServer) connection;
        return "redis at " + server.address() + (server.tls() ? " (TLS)" : "");
    }
}
