package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinStores;
import dev.portcullis.authn.session.MemoryRenewedSessions;
import dev.portcullis.authn.session.MemoryRevocationStore;
import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.store.MemorySingleUse;
import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.postgres.PostgresBuiltinStores;
import dev.portcullis.authn.store.postgres.PostgresRenewedSessions;
import dev.portcullis.authn.store.postgres.PostgresRevocationStore;
import dev.portcullis.authn.store.postgres.PostgresSingleUse;
import dev.portcullis.authn.store.postgres.PostgresStoreConnection;
import dev.portcullis.authn.store.postgres.SealedRenewals;
import dev.portcullis.authn.store.redis.RedisBuiltinStores;
import dev.portcullis.authn.store.redis.RedisRenewedSessions;
import dev.portcullis.authn.store.redis.RedisRevocationStore;
import dev.portcullis.authn.store.redis.RedisSingleUse;
import dev.portcullis.authn.store.redis.RedisStoreConnection;
import java.time.Clock;
import java.time.Duration;

/**
 * What sign-in remembers between requests, for the life of the process: each store answers with a
 * {@code CompletionStage} and a failed stage fails the request closed ({@link dev.portcullis.authn.store.StoreUnavailable}).
 *
 * @param revocations      sessions signed out, or logged out by the provider
 * @param redeemedHandoffs the ids of redeemed sign-in hand-offs, so each works once
 * @param builtin           the built-in provider's throttle, accepted TOTP steps, tickets and codes
 * @param renewalClaims     the renewals under way, so that each due session is renewed by one provider call
 * @param renewedSessions   the latest renewal of each session, for requests still carrying the old one
 * @param usedSignInSteps   the sign-in attempts come back from the provider (by their state) and the programmatic
 *                          login tickets opened, so each is used once
 */
public record SignInStores(RevocationStore revocations, SingleUse redeemedHandoffs, BuiltinStores builtin,
        SingleUse renewalClaims, RenewedSessions renewedSessions, SingleUse usedSignInSteps) {
    /** How many redeemed hand-offs, and separately used sign-in steps, the memory stores remember at most. */
    static final int MAX_REDEEMED_HANDOFFS = 100_000;
    /** How many renewals under way, and renewed sessions, the memory stores remember at most. */
    static final int MAX_RENEWALS = 100_000;

    public SignInStores {
        requireNonNull(revocations, "revocations");
        requireNonNull(redeemedHandoffs, "redeemedHandoffs");
        requireNonNull(builtin, "builtin");
        requireNonNull(renewalClaims, "renewalClaims");
        requireNonNull(renewedSessions, "renewedSessions");
        requireNonNull(usedSignInSteps, "usedSignInSteps");
    }

    /**
     * The stores every replica on one Redis shares ({@code databroker_storage_type: redis}), each under its own part
     * of {@code keyPrefix}: {@code revoked:}, {@code handoff:}, {@code builtin:}, {@code renewing:},
     * {@code renewed:}, {@code used:}.
     *
     * @param maxSessionLifetime {@code cookie_expire}: how long a loss of Redis's data keeps older sessions revoked
     * @param cookieSecret       seals the renewed sessions kept in Redis (they hold the provider's tokens)
     */
    public static SignInStores shared(RedisStoreConnection redis, String keyPrefix, Duration maxSessionLifetime,
            byte[] cookieSecret, Clock clock) {
        return new SignInStores(
                new RedisRevocationStore(redis, keyPrefix + "revoked:", MemoryRevocationStore.DEFAULT_MAX_ENTRIES,
                        maxSessionLifetime, clock),
                new RedisSingleUse(redis, keyPrefix + "handoff:"),
                RedisBuiltinStores.shared(redis, keyPrefix + "builtin:", clock),
                new RedisSingleUse(redis, keyPrefix + "renewing:"),
                new RedisRenewedSessions(redis, keyPrefix + "renewed:", new SessionSealer(cookieSecret), clock),
                new RedisSingleUse(redis, keyPrefix + "used:"));
    }

    /**
     * The same stores on one PostgreSQL database ({@code databroker_storage_type: postgres}), each in its scope:
     * {@code revoked}, {@code handoff}, {@code builtin_*}, {@code renewing}, {@code renewed}, {@code used}.
     *
     * @param maxSessionLifetime {@code cookie_expire}: how long a loss of the database's data keeps older sessions revoked
     * @param cookieSecret       seals the renewed sessions kept in the database (they hold the provider's tokens)
     */
    public static SignInStores sharedOnPostgres(PostgresStoreConnection postgres, Duration maxSessionLifetime,
            byte[] cookieSecret, Clock clock) {
        return new SignInStores(
                new PostgresRevocationStore(postgres, "revoked", MemoryRevocationStore.DEFAULT_MAX_ENTRIES,
                        maxSessionLifetime, clock),
                new PostgresSingleUse(postgres, "handoff"),
                PostgresBuiltinStores.shared(postgres, clock),
                new PostgresSingleUse(postgres, "renewing"),
                new PostgresRenewedSessions(postgres, "renewed", new SealedRenewals(new SessionSealer(cookieSecret), clock),
                        clock),
                new PostgresSingleUse(postgres, "used"));
    }

    /** The stores of a single process, in memory (lost on restart, not shared between replicas). */
    public static SignInStores inMemory(Clock clock) {
        return new SignInStores(new MemoryRevocationStore(clock, MemoryRevocationStore.DEFAULT_MAX_ENTRIES),
                new MemorySingleUse(clock, MAX_REDEEMED_HANDOFFS), BuiltinStores.inMemory(clock),
                new MemorySingleUse(clock, MAX_RENEWALS),
                new MemoryRenewedSessions(clock, MAX_RENEWALS),
                new MemorySingleUse(clock, MAX_REDEEMED_HANDOFFS));
    }
}
