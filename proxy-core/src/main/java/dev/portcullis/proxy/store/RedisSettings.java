package dev.portcullis.proxy.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.config.storage.ServerAddress;
import dev.portcullis.config.storage.RedisCredentials;
import dev.portcullis.config.storage.RedisSentinel;
import dev.portcullis.config.storage.RedisServer;
import dev.portcullis.config.storage.StorageConnection;
import dev.portcullis.config.storage.StorageTls;
import dev.portcullis.proxy.tls.PemMaterial;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How Lettuce reaches the Redis of {@code databroker_storage_connection_string}: its {@link RedisURI} (server or
 * Sentinel, credentials, database, TLS and whether the server's certificate is verified), the TLS trust and client
 * certificate of the {@code databroker_storage_*_file} options, and a description for the log that names hosts
 * and never a password.
 *
 * @param uri         what Lettuce connects to
 * @param tls         trust, client certificate and random source for a TLS connection; empty for plain TCP
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
            for (ServerAddress s : sentinel.sentinels()) {
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

    /**
     * Lettuce builds a new TLS context for every connection, on its event loop: what that needs is made ready here,
     * at start, so that nothing there reads a file: the system's trusted CAs are loaded now, the client certificate's
     * key store is made now (made per connection, it salts the key with {@code /dev/urandom}), and the context takes
     * its randomness from {@link NonBlockingRandom} instead of the JDK's default, which reads {@code /dev/urandom}.
     */
    private static Optional<SslOptions> sslOptions(StorageTls tls) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider()
                .sslContext(context -> context.secureRandom(NonBlockingRandom.get()));
        if (tls.caPem().isPresent()) {
            String pem = tls.caPem().get();
            ssl.trustManager(() -> new ByteArrayInputStream(pem.getBytes(US_ASCII)));
        } else {
            ssl.trustManager(systemTrust());
        }
        tls.certificatePem().ifPresent(pem -> ssl.keyManager(clientCertificate(pem, tls.privateKeyPem().orElseThrow())));
        return Optional.of(ssl.build());
    }

    private static KeyManagerFactory clientCertificate(String certificatePem, String keyPem) {
        try {
            List<X509Certificate> chain = PemMaterial.certificates(certificatePem);
            PrivateKey key = PemMaterial.privateKey(keyPem);
            char[] unprotected = new char[0]; // the store lives in memory only
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, unprotected, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, unprotected);
            return keys;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("databroker_storage_cert_file / databroker_storage_key_file: "
                    + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory systemTrust() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
            return trust;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the system's trusted CAs cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static RedisURI sentinelUri(ServerAddress sentinel, char[] password) {
        RedisURI.Builder uri = RedisURI.builder().withHost(sentinel.host()).withPort(sentinel.port());
        if (password != null) {
            uri.withPassword(password);
        }
        return uri.build();
    }

    private static String describe(StorageConnection connection) {
        if (connection instanceof RedisSentinel sentinel) {
            return "redis primary " + sentinel.master() + " via sentinel "
                    + sentinel.sentinels().stream().map(ServerAddress::toString).collect(Collectors.joining(","))
                    + (sentinel.tls() ? " (TLS)" : "");
        }
        RedisServer server = (RedisServer) connection;
        return "redis at " + server.address() + (server.tls() ? " (TLS)" : "");
    }
}
