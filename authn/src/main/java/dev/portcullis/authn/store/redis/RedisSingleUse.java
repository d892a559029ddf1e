package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The claimed ids of every replica that shares one Redis: the first claim of an id, on any replica, wins.
 *
 * <p><b>Keys:</b> {@code {keyPrefix}{id}}, e.g. {@code portcullis:handoff:Zq3…}, holding {@code "1"} and expiring
 * at the claim's {@code expiresAt} ({@code SET key 1 NX PXAT ms}: Redis decides who was first, atomically, and
 * bounds its own memory). The prefix keeps deployments that share one Redis, and stores that share one deployment,
 * apart.
 *
 * <p><b>Fails closed:</b> when Redis cannot answer — unreachable, too slow, a wrong password, an error reply, full
 * ({@code OOM} under {@code maxmemory}) — the stage completes with {@link StoreUnavailable}, never {@code true}.
 * Unlike {@code MemorySingleUse} there is no count of ids of its own: Redis's {@code maxmemory} is the bound, and
 * its policy must be {@code noeviction} (Redis's default), since an evicting policy could forget a claimed id before
 * it expired and let it be claimed twice. For the same reason, a Redis that loses its data (restarted without
 * persistence, {@code FLUSHALL}, a failover to an empty replica) forgets the ids claimed before: each can be claimed
 * once more until it would have expired (a hand-off lives a minute). Detecting such a loss is left to the wiring.
 */
public final class RedisSingleUse implements SingleUse {
    private static final String CLAIMED = "1";

    private final RedisStoreConnection redis;
    private final String keyPrefix;

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix put before every id, e.g. {@code portcullis:handoff:}; not empty
     */
    public RedisSingleUse(RedisStoreConnection redis, String keyPrefix) {
        this.redis = requireNonNull(redis, "redis");
        this.keyPrefix = KeyPrefix.checked(keyPrefix);
    }

    @Override
    public CompletionStage<Boolean> claim(String id, Instant expiresAt) {
        requireNonNull(id, "id");
        requireNonNull(expiresAt, "expiresAt");
        return redis.setIfAbsent(keyPrefix + id, CLAIMED, expiresAt);
    }
}
