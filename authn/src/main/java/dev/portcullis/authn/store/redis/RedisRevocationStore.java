package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.MemoryRevocationStore;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.LostRevocations;
import dev.portcullis.authn.store.SharedRevocationView;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocations of every replica that shares one Redis: a session signed out on one replica is refused by all of
 * them, within the time a pub/sub message takes.
 *
 * <p><b>Writes go to Redis; reads never do.</b> {@code revoke}, {@code revokeUser} and {@code revokeProviderSession}
 * store the revocation and {@code PUBLISH} it in one Lua script (both or neither), and complete once Redis has taken
 * it — or fail with {@link StoreUnavailable} when it cannot (unreachable, too slow, full …): a sign-out that cannot
 * be recorded is not reported as done. {@code isRevoked} and {@code isUserRevoked} answer from a local view
 * ({@link SharedRevocationView}, a {@link MemoryRevocationStore} with its bound on memory), at once and without a
 * round trip: the hot path does not wait for Redis, and while Redis is unreachable the view answers with the
 * revocations it last saw.
 *
 * <p><b>The view is kept current</b> by the channel's messages, and caught up each time the subscription is
 * (re)established — at start, and after every reconnect — by reading every revocation key ({@code SCAN}), so
 * revocations made by other replicas while this one was cut off are seen once it is back.
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
    private static final Logger LOG = LoggerFactory.getLogger(RedisRevocationStore.class);

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
    private final SharedRevocationView view;

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
        LostRevocations lost = new LostRevocations("Redis", maxSessionLifetime, clock);
        this.dataLoss = new RedisDataLoss(redis, keyPrefix, channel, maxSessionLifetime, lost, clock);
        this.view = new SharedRevocationView("Redis", maxEntries, lost, clock, this::readAll, redis::later);
        redis.subscribe(channel, new RedisStoreConnection.Subscriber() {
            @Override
            public void subscribed() {
                view.subscribed(dataLoss.check());
            }

            @Override
            public void message(String message) {
                view.apply(message);
            }
        });
        dataLoss.checkEverySecond();
        // Redis coming up after the proxy (or a first connection to a new one): notice a loss before sign-ins issue
        // sessions that the loss would then revoke, rather than up to a second later.
        redis.whenConnected(dataLoss::check);
    }

    @Override
    public CompletionStage<Void> revoke(String sessionId, Instant until) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(until, "until");
        return redis.run(REVOKE_SESSION, new String[] {sessionKeys + sessionId}, Long.toString(until.toEpochMilli()),
                        channel, "session ", sessionId)
                .thenCompose(ok -> view.revoked(sessionId, until));
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
                .thenCompose(ok -> view.revokedUser(userId, issuedBefore, until));
    }

    /** Also revoked when it was issued before Redis lost its data (and could still be alive). */
    @Override
    public CompletionStage<Boolean> isRevoked(Session session, Instant now) {
        return view.isRevoked(session, now);
    }

    @Override
    public CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now) {
        return view.isUserRevoked(userId, issuedAt, now);
    }

    /** Every revocation key under the prefix, and the loss recorded, read as the view's snapshot. */
    private CompletionStage<SharedRevocationView.Snapshot> readAll() {
        return redis.valuesUnder(keyPrefix).thenApply(values -> {
            Map<String, Instant> sessions = new HashMap<>();
            Map<String, SharedRevocationView.UserRevocation> users = new HashMap<>();
            Optional<Instant> lostBefore = Optional.empty();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                String key = entry.getKey();
                String value = entry.getValue();
                try {
                    if (key.startsWith(sessionKeys)) {
                        sessions.put(key.substring(sessionKeys.length()), Instant.ofEpochMilli(Long.parseLong(value)));
                    } else if (key.equals(dataLoss.lostBeforeKey())) {
                        lostBefore = Optional.of(Instant.ofEpochMilli(Long.parseLong(value)));
                    } else if (key.startsWith(userKeys)) {
                        String[] times = value.split(" ", 2);
                        users.put(key.substring(userKeys.length()), new SharedRevocationView.UserRevocation(
                                Instant.ofEpochMilli(Long.parseLong(times[0])), Instant.ofEpochMilli(Long.parseLong(times[1]))));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Ignoring a revocation key in Redis that this version cannot read ({})",
                            e.getClass().getSimpleName());
                }
            }
            return new SharedRevocationView.Snapshot(sessions, users, lostBefore);
        });
    }
}
