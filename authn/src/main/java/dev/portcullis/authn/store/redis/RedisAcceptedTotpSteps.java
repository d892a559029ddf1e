package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.AcceptedTotpSteps;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The latest accepted TOTP step of each user, shared by every replica on one Redis: a code accepted on one replica
 * is refused by every other (and so is any code of an earlier step), so an overheard code cannot be replayed through
 * another replica within its window.
 *
 * <p><b>Keys:</b> {@code {keyPrefix}{user}}, e.g. {@code portcullis:totp:alice@example.com}, holding
 * {@code "{step} {forgetAfterMs}"} and expiring at that {@code forgetAfter} ({@code PXAT}), when no code of that step
 * is accepted any more anyway. One Lua script compares and records (Redis runs it atomically, so replicas racing
 * with the same code cannot both be told it was later); it keeps the later of the stored and the new
 * {@code forgetAfter}, so a step is never forgotten before the caller said it may be.
 *
 * <p><b>Fails closed:</b> when Redis cannot answer — unreachable, too slow, an error reply, full — the stage
 * completes with {@link StoreUnavailable}, never {@code true}; so does a stored value the script cannot read
 * (written by another version), until it expires. A Redis that loses its data forgets the accepted steps: a code
 * accepted just before can be used once more within its window (at most 90 seconds), as with the memory store after
 * a restart. Redis's {@code maxmemory}, with the {@code noeviction} policy, bounds the keys (an evicting one could
 * forget a step early and let its code be replayed).
 */
public final class RedisAcceptedTotpSteps implements AcceptedTotpSteps {
    private static final String LATER = "later";

    /**
     * Records the step when it is later than the stored one. KEYS: the user's key; ARGV: step, forgetAfter ms.
     * Returns 'later' when recorded, 'not-later' otherwise.
     */
    private static final String ACCEPT_LATER = """
            local step, forgetMs = tonumber(ARGV[1]), tonumber(ARGV[2])
            local current = redis.call('GET', KEYS[1])
            if current then
              local s, f = string.match(current, '^(-?%d+) (-?%d+)$')
              if not s then return redis.error_reply('unreadable accepted TOTP step') end
              if tonumber(s) >= step then return 'not-later' end
              forgetMs = math.max(forgetMs, tonumber(f))
            end
            redis.call('SET', KEYS[1], string.format('%d %d', step, forgetMs), 'PXAT', math.max(1, forgetMs))
            return 'later' -- LATER
            """;

    private final RedisStoreConnection redis;
    private final String keyPrefix;

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix put before every user, e.g. {@code portcullis:totp:}; not empty
     */
    public RedisAcceptedTotpSteps(RedisStoreConnection redis, String keyPrefix) {
        this.redis = requireNonNull(redis, "redis");
        this.keyPrefix = KeyPrefix.checked(keyPrefix);
    }

    @Override
    public CompletionStage<Boolean> acceptLater(String user, long step, Instant forgetAfter) {
        requireNonNull(user, "user");
        requireNonNull(forgetAfter, "forgetAfter");
        return redis.run(ACCEPT_LATER, new String[] {keyPrefix + user}, Long.toString(step),
                Long.toString(forgetAfter.toEpochMilli())).thenApply(LATER::equals);
    }
}
