package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.MemoryRevocationStore;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocations of every replica that shares one Redis: a session signed out on one replica is refused by all of
 * them, within the time a pub/sub message takes.
 *
 * <p><b>Writes go to Redis; reads never do.</b> {@code revoke}, {@code revokeUser} and {@code revokeProviderSession}
 * store the revocation and {@code PUBLISH} it in one Lua script (both or neither), and complete once Redis has taken
 * it — or fail with {@link StoreUnavailable} when it cannot (unreachable, too slow, full …): a sign-out that cannot
 * be recorded is not reported as done. {@code isRevoked} and {@code isUserRevoked} answer from a local view, a
 * {@link MemoryRevocationStore} with its bound on memory, at once and without a round trip: the hot path does not
 * wait for Redis, and while Redis is unreachable the view answers with the revocations it last saw.
 *
 * <p><b>The view is kept current</b> by the channel's messages, and caught up each time the subscription is
 * (re)established — at start, and after every reconnect — by reading every revocation key, so revocations made by
 * other replicas while this one was cut off are seen once it is back. Revocations only ever grow (each one keeps the
 * later of its times, in Redis and in the view), so a message and a catch-up may arrive in any order. A catch-up
 * that fails is tried again every second until one succeeds.
 *
 * <p><b>A Redis that lost its data never brings a revoked session back</b>: {@link RedisDataLoss} notices, and
 * sessions issued before the loss are revoked (users sign in again, once).
 *
 * <p><b>Keys:</b> {@code {keyPrefix}session:{id}} holding the revocation's end in epoch milliseconds, and
 * {@code {keyPrefix}user:{userId}} holding {@code "{issuedBeforeMs} {untilMs}"}; each expires when its revocation
 * ends ({@code PXAT}), so nothing outlives the sessions it protects. Provider session ids are session ids with
 * {@link RevocationStore#PROVIDER_SESSION_PREFIX}. The channel is {@code {keyPrefix}changes}.
 */
public final class RedisRevocationStore implements RevocationStore {
    private static final CompletionStage<Boolean> REVOKED = CompletableFuture.completedFuture(true);
    private static final Logger LOG = LoggerFactory.getLogger(RedisRevocationStore.class);
    private static final Duration CATCH_UP_RETRY = Duration.ofSeconds(1);
    /** The longest a replica that starts waits for its first view of Redis before answering from what it has. */
    static final Duration FIRST_SYNC_WAIT = Duration.ofSeconds(2);

    /** Keeps the later end, stores and publishes it. ARGV: until ms, channel, the message's kind, the id. */
    private static final String REVOKE_SESSION = """
            local untilMs = tonumber(ARGV[1])
            local current = tonumber(redis.call('GET', KEYS[1]))
            if current and current > untilMs then untilMs = current end
            redis.call('SET', KEYS[1], string.format('%d', untilMs), 'PXAT', math.max(1, untilMs))
            redis.call('PUBLISH', ARGV[2], ARGV[3] .. string.format('%d', untilMs) .. ' ' .. ARGV[4])
            return 'OK'
            """;

    /** Keeps the later of each time, stores and publishes them. ARGV: issued-before ms, until ms, channel, id. */
    private static final String REVOKE_USER = """
            local before, untilMs = tonumber(ARGV[1]), tonumber(ARGV[2])
            local current = redis.call('GET', KEYS[1])
            if current then
              local b, u = string.match(current, '^(-?%d+) (-?%d+)$')
              if b then
                before = math.max(before, tonumber(b))
                untilMs = math.max(untilMs, tonumber(u))
              end
            end
            local value = string.format('%d %d', before, untilMs)
            redis.call('SET', KEYS[1], value, 'PXAT', math.max(1, untilMs))
            redis.call('PUBLISH', ARGV[3], 'user ' .. value .. ' ' .. ARGV[4])
            return 'OK'
            """;

    private final RedisStoreConnection redis;
    private final String sessionKeys;
    private final String userKeys;
    private final String channel;
    private final RedisDataLoss dataLoss;
    private final String keyPrefix;
    private final RevocationStore view;
    /**
     * Complete once the view has been filled from Redis and the data-loss check has answered (both at least once),
     * or {@link #FIRST_SYNC_WAIT} after start, whichever is first: until then a session's revocation is answered
     * only then, so a replica that starts does not serve, from an empty view, a session another replica revoked.
     * When Redis is unreachable at start, existing sessions are served after that wait with the empty view.
     */
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
    private final CompletableFuture<Void> caughtUpOnce = new CompletableFuture<>();
    /** Catch-ups asked for since the running one started reading; 0 when none is running. */
    private final AtomicInteger catchUpsAsked = new AtomicInteger();

    /**
     * Subscribes at once (in the background: this returns even while Redis is unreachable, and the view fills once
     * it is there).
     *
     * @param redis      the process's connection to Redis
     * @param keyPrefix  put before every key and the channel, e.g. {@code portcullis:revoked:}; not empty
     * @param maxEntries the bound of the local view: session ids, and separately users (see
     *                   {@link MemoryRevocationStore})
     * @param maxSessionLifetime the longest a session lives ({@code cookie_expire}): how long a loss of Redis's data
     *                   keeps the sessions issued before it revoked
     */
    public RedisRevocationStore(RedisStoreConnection redis, String keyPrefix, int maxEntries,
            Duration maxSessionLifetime) {
        this(redis, keyPrefix, maxEntries, maxSessionLifetime, Clock.systemUTC());
    }

    /**
     * As {@link #RedisRevocationStore(RedisStoreConnection, String, int, Duration)}, with the time of revocations and
     * of a noticed loss read from {@code clock} (the proxy's; tests move it).
     */
    public RedisRevocationStore(RedisStoreConnection redis, String keyPrefix, int maxEntries,
            Duration maxSessionLifetime, Clock clock) {
        this.redis = requireNonNull(redis, "redis");
        this.keyPrefix = KeyPrefix.checked(keyPrefix);
        this.sessionKeys = keyPrefix + "session:";
        this.userKeys = keyPrefix + "user:";
        this.channel = keyPrefix + "changes";
        this.dataLoss = new RedisDataLoss(redis, keyPrefix, channel, maxSessionLifetime, clock);
        this.view = new MemoryRevocationStore(clock, maxEntries);
        redis.subscribe(channel, new RedisStoreConnection.Subscriber() {
            @Override
            public void subscribed() {
                catchUp();
                dataLoss.check().thenAcceptBoth(caughtUpOnce, (checked, caughtUp) -> firstSync.complete(null));
            }

            @Override
            public void message(String message) {
                applyMessage(message);
            }
        });
        dataLoss.checkEverySecond();
        redis.later(FIRST_SYNC_WAIT, () -> firstSync.complete(null));
    }

    @Override
    public CompletionStage<Void> revoke(String sessionId, Instant until) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(until, "until");
        return redis.run(REVOKE_SESSION, new String[] {sessionKeys + sessionId}, Long.toString(until.toEpochMilli()),
                        channel, "session ", sessionId)
                .thenCompose(ok -> view.revoke(sessionId, until));
    }

    @Override
    public CompletionStage<Boolean> isRevoked(String sessionId, Instant now) {
        return view.isRevoked(sessionId, now);
    }

    @Override
    public CompletionStage<Void> revokeUser(String userId, Instant issuedBefore, Instant until) {
        requireNonNull(userId, "userId");
        requireNonNull(issuedBefore, "issuedBefore");
        requireNonNull(until, "until");
        return redis.run(REVOKE_USER, new String[] {userKeys + userId}, Long.toString(issuedBefore.toEpochMilli()),
                        Long.toString(until.toEpochMilli()), channel, userId)
                .thenCompose(ok -> view.revokeUser(userId, issuedBefore, until));
    }

    /** Also revoked when it was issued before Redis lost its data (and could still be alive). */
    @Override
    public CompletionStage<Boolean> isRevoked(Session session, Instant now) {
        if (!firstSync.isDone()) {
            return firstSync.thenCompose(synced -> isRevoked(session, now));
        }
        return dataLoss.revokes(session, now) ? REVOKED : RevocationStore.super.isRevoked(session, now);
    }

    @Override
    public CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now) {
        return view.isUserRevoked(userId, issuedAt, now);
    }

    /**
     * Asks for a catch-up: starts one unless one is running, in which case that one reads again when it is done
     * (this subscription may have missed messages that its read came too early for).
     */
    private void catchUp() {
        if (catchUpsAsked.getAndIncrement() == 0) {
            readEverything(false);
        }
    }

    /** Reads every revocation into the view; tries again every second until it succeeds, logging the first failure. */
    private void readEverything(boolean failedBefore) {
        int asked = catchUpsAsked.get();
        redis.valuesUnder(keyPrefix).whenComplete((values, failure) -> {
            if (failure != null) {
                if (!failedBefore) {
                    LOG.warn("Cannot catch up on revocations from Redis, trying again every {}: {}", CATCH_UP_RETRY,
                            StoreUnavailable.describe(failure));
                }
                redis.later(CATCH_UP_RETRY, () -> readEverything(true));
                return;
            }
            for (Map.Entry<String, String> entry : values.entrySet()) {
                applyStored(entry.getKey(), entry.getValue());
            }
            caughtUpOnce.complete(null);
            if (failedBefore) {
                LOG.info("Caught up on revocations from Redis");
            }
            if (!catchUpsAsked.compareAndSet(asked, 0)) {
                readEverything(false);
            }
        });
    }

    private void applyStored(String key, String value) {
        try {
            if (key.startsWith(sessionKeys)) {
                view.revoke(key.substring(sessionKeys.length()), Instant.ofEpochMilli(Long.parseLong(value)));
            } else if (key.equals(dataLoss.lostBeforeKey())) {
                dataLoss.noticedAt(Instant.ofEpochMilli(Long.parseLong(value)));
            } else if (key.startsWith(userKeys)) {
                String[] times = value.split(" ", 2);
                view.revokeUser(key.substring(userKeys.length()), Instant.ofEpochMilli(Long.parseLong(times[0])),
                        Instant.ofEpochMilli(Long.parseLong(times[1])));
            }
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a revocation key in Redis that this version cannot read ({})", e.getClass().getSimpleName());
        }
    }

    /** {@code "session {untilMs} {id}"} or {@code "user {issuedBeforeMs} {untilMs} {userId}"}, as the scripts publish. */
    private void applyMessage(String message) {
        try {
            if (message.startsWith("session ")) {
                String[] parts = message.split(" ", 3);
                view.revoke(parts[2], Instant.ofEpochMilli(Long.parseLong(parts[1])));
            } else if (message.startsWith(RedisDataLoss.MESSAGE)) {
                dataLoss.noticedAt(Instant.ofEpochMilli(Long.parseLong(message.substring(RedisDataLoss.MESSAGE.length()))));
            } else if (message.startsWith("user ")) {
                String[] parts = message.split(" ", 4);
                view.revokeUser(parts[3], Instant.ofEpochMilli(Long.parseLong(parts[1])),
                        Instant.ofEpochMilli(Long.parseLong(parts[2])));
            }
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a revocation message that this version cannot read ({})", e.getClass().getSimpleName());
        }
    }
}
