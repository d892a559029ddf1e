package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.store.LostRevocations;
import dev.portcullis.authn.store.SharedRevocationView;
import dev.portcullis.authn.session.Session;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;

/**
 * Whether Redis lost the revocations it held, and since when: the sessions issued before then are revoked.
 *
 * <p><b>A Redis that lost its data never brings a revoked session back.</b> A running replica's view keeps what it
 * saw whatever happens to Redis; the danger is a replica that starts (or restarts) afterwards and reads an empty
 * Redis. So the replicas keep a random epoch in Redis ({@code {keyPrefix}epoch}) and check it at start, after every
 * reconnect and every second: when there is <em>no</em> epoch — a new Redis, or one that lost its data (restarted
 * without persistence, {@code FLUSHALL}, a failover to an empty replica), which no replica can tell apart — or the
 * epoch is not the one a replica knew, the first replica to notice records a new epoch and the moment in
 * {@code {keyPrefix}lost-before} (kept for {@code maxSessionLifetime}) and publishes it, says so in one log line,
 * and every replica, including those started later, then treats every session issued before that moment as revoked
 * (by the session's {@code issuedAt}). Since a missing epoch always counts, this holds even when Redis lost its data
 * while no replica was running. <b>What users see:</b> within about a second of such a loss, everyone who was signed
 * in is sent to sign in again, once (sessions issued in the second of the loss itself are kept: {@code issuedAt}
 * has whole seconds, and a revocation lost must then have been made within that second); the same happens once when replicas first start on a new Redis (sessions from before, kept in
 * memory, sign in again). Clocks matter: a replica whose clock runs behind the one that noticed may keep sessions it
 * issued just before the loss.
 *
 * <p>The epoch is the one key without an expiry (one per deployment, 32 characters). A check that fails (Redis
 * unreachable) changes nothing and is made again a second later. Thread-safe.
 */
final class RedisDataLoss {
    /** What {@link RedisRevocationStore}'s channel carries when a loss is noticed, before the instant in epoch ms. */
    static final String MESSAGE = SharedRevocationView.LOST_MESSAGE;
    /** How soon a loss that breaks no connection ({@code FLUSHALL}) is noticed. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    /**
     * Declares the data lost when there is no epoch (recording a new one), or when the epoch is not the one this
     * replica knew and no replica has declared it yet. KEYS: epoch, lost-before; ARGV: known epoch ('' for none), a new
     * epoch, now ms, lost-before's expiry ms, channel. Returns "{epoch} {lostBeforeMs or 0}".
     */
    private static final String CHECK_EPOCH = """
            local known, now = ARGV[1], ARGV[3]
            local current = redis.call('GET', KEYS[1])
            local lost = redis.call('GET', KEYS[2])
            if not current or (known ~= '' and current ~= known and not lost) then
              if not current then
                current = ARGV[2]
                redis.call('SET', KEYS[1], current)
              end
              redis.call('SET', KEYS[2], now, 'PXAT', ARGV[4])
              redis.call('PUBLISH', ARGV[5], 'lost ' .. now) -- MESSAGE
              lost = now
            end
            return current .. ' ' .. (lost or '0')
            """;

    private final RedisStoreConnection redis;
    private final String epochKey;
    private final String lostBeforeKey;
    private final String channel;
    private final Duration maxSessionLifetime;
    private final Clock clock;
    private final LostRevocations lost;
    /** Taken here, so that the generator is seeded on the thread that builds the store, never on Lettuce's. */
    private final SecureRandom random = NonBlockingRandom.get();
    /** The epoch this replica saw last; null before its first check. */
    private volatile String knownEpoch;

    /**
     * @param channel            where a noticed loss is published
     * @param maxSessionLifetime the longest a session lives ({@code cookie_expire}): how long a loss keeps the
     *                           sessions issued before it revoked
     */
    RedisDataLoss(RedisStoreConnection redis, String keyPrefix, String channel, Duration maxSessionLifetime,
            LostRevocations lost, Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        this.redis = requireNonNull(redis, "redis");
        this.epochKey = keyPrefix + "epoch";
        this.lostBeforeKey = keyPrefix + "lost-before";
        this.channel = requireNonNull(channel, "channel");
        this.maxSessionLifetime = requireNonNull(maxSessionLifetime, "maxSessionLifetime");
        this.lost = requireNonNull(lost, "lost");
    }

    /** The key that records when the loss was noticed, in epoch ms (read by a catch-up like a revocation). */
    String lostBeforeKey() {
        return lostBeforeKey;
    }

    /** Checks a second from now, and every second after, for as long as the connection is open. */
    void checkEverySecond() {
        redis.later(CHECK_INTERVAL, () -> {
            check();
            checkEverySecond();
        });
    }

    /**
     * Compares Redis's epoch with the one this replica knew: a missing or another epoch means Redis lost its data
     * (restarted without persistence, flushed, failed over to an empty replica), and with it revocations that
     * replicas starting from now could not see; the first replica to notice records when, and every replica then
     * revokes the sessions issued before. A check that fails is simply made again a second later.
     */
    CompletionStage<Void> check() {
        String known = knownEpoch;
        Instant now = clock.instant();
        byte[] fresh = new byte[16];
        random.nextBytes(fresh);
        return redis.run(CHECK_EPOCH, new String[] {epochKey, lostBeforeKey}, known == null ? "" : known,
                        HexFormat.of().formatHex(fresh), Long.toString(now.toEpochMilli()),
                        Long.toString(now.plus(maxSessionLifetime).toEpochMilli()), channel)
                .thenAccept(answer -> {
                    String[] parts = answer.split(" ", 2);
                    knownEpoch = parts[0];
                    long lostMs = Long.parseLong(parts[1]);
                    if (lostMs != 0) {
                        noticedAt(Instant.ofEpochMilli(lostMs));
                    }
                });
    }

    /** A replica (this one or another) noticed the loss at {@code at}; the latest such instant holds. */
    void noticedAt(Instant at) {
        lost.noticedAt(at);
    }
}
