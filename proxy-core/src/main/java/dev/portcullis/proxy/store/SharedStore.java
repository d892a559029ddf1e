package dev.portcullis.proxy.store;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.postgres.PostgresStoreConnection;
import dev.portcullis.authn.store.redis.RedisStoreConnection;
import dev.portcullis.config.storage.PostgresServer;
import dev.portcullis.config.storage.StorageOptions;
import dev.portcullis.proxy.signin.SignInStores;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the store that replicas share ({@code databroker_storage_type: redis} or {@code postgres}),
 * opened at start and closed at stop, and the sign-in stores built on it. Neither connects in its constructor: the
 * proxy starts while the store is unreachable, its first failure is one {@code session_store_lost} audit line
 * ({@link StoreHealth}), and commands keep trying.
 */
public sealed interface SharedStore extends AutoCloseable permits SharedStore.OnRedis, SharedStore.OnPostgres {

    /** What and where the store is, without credentials. */
    String description();

    /** The sign-in stores on this connection. */
    SignInStores signInStores(StorageOptions storage, Duration maxSessionLifetime, byte[] cookieSecret, Clock clock);

    /** The Redis connection, for what only Redis shares (autocert). */
    Optional<RedisStoreConnection> redis();

    /** Closes the connection and its threads; blocks: call it at stop. */
    @Override
    void close();

    /**
     * The store {@code storage} names, or empty for memory.
     *
     * @param metrics told of every command (the session store metrics), besides the health's audit lines
     * @param timeout how long a command may take before what needs it answers 503
     */
    static Optional<SharedStore> open(StorageOptions storage, StoreObserver metrics, Duration timeout) {
        if (storage.connection().isEmpty()) {
            return Optional.empty();
        }
        Logger log = LoggerFactory.getLogger(SharedStore.class);
        if (storage.connection().get() instanceof PostgresServer postgres) {
            PostgresSettings settings = PostgresSettings.of(postgres, storage.tls());
            StoreHealth health = new StoreHealth(settings.description(), metrics, Clock.systemUTC());
            log.info("sign-in state is shared through {} (tables under {})", settings.description(), storage.keyPrefix());
            return Optional.of(new OnPostgres(new PostgresStoreConnection(settings.jdbcUrl(), settings.user(),
                    settings.password(), settings.ssl(), storage.keyPrefix(), timeout, health), settings.description()));
        }
        RedisSettings redis = RedisSettings.of(storage.connection().get(), storage.tls());
        StoreHealth health = new StoreHealth(redis.description(), metrics, Clock.systemUTC());
        log.info("sign-in state is shared through {} (keys under {})", redis.description(), storage.keyPrefix());
        return Optional.of(new OnRedis(new RedisStoreConnection(redis.uri(), redis.tls(), timeout, health),
                redis.description()));
    }

    /** Sign-in state in Redis, and autocert's account, certificates and lock. */
    record OnRedis(RedisStoreConnection connection, String description) implements SharedStore {
        public OnRedis {
            requireNonNull(connection, "connection");
            requireNonNull(description, "description");
        }

        @Override
        public SignInStores signInStores(StorageOptions storage, Duration maxSessionLifetime, byte[] cookieSecret,
                Clock clock) {
            return SignInStores.shared(connection, storage.keyPrefix(), maxSessionLifetime, cookieSecret, clock);
        }

        @Override
        public Optional<RedisStoreConnection> redis() {
            return Optional.of(connection);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    /** Sign-in state in PostgreSQL (autocert stays in {@code autocert_dir}). */
    record OnPostgres(PostgresStoreConnection connection, String description) implements SharedStore {
        public OnPostgres {
            requireNonNull(connection, "connection");
            requireNonNull(description, "description");
        }

        @Override
        public SignInStores signInStores(StorageOptions storage, Duration maxSessionLifetime, byte[] cookieSecret,
                Clock clock) {
            return SignInStores.sharedOnPostgres(connection, maxSessionLifetime, cookieSecret, clock);
        }

        @Override
        public Optional<RedisStoreConnection> redis() {
            return Optional.empty();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
