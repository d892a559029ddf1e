package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Random single-use codes shared by every replica on one Redis: a code issued by one replica is taken once, by
 * whichever replica sees it first ({@code GETDEL} is atomic, so two replicas racing for one code cannot both get it).
 *
 * <p><b>Keys:</b> {@code {keyPrefix}{code}}, e.g. {@code portcullis:builtin-code:q0R…}, holding the value as
 * {@link OneTimeCodes.Codec#encode} wrote it and expiring at the code's {@code expiresAt} ({@code SET key value NX PXAT ms}).
 * Codes are 256 random bits, base64url, as {@code MemoryOneTimeCodes} makes them.
 *
 * <p><b>Fails closed:</b> when Redis cannot answer — unreachable, too slow, a wrong password, an error reply, full
 * ({@code OOM} under {@code maxmemory}) — the stage completes with {@link StoreUnavailable}: no code is issued, none
 * is accepted. A stored value the codec cannot read (e.g. written by another version) fails the same way, and the
 * code is used up. There is no count of codes of its own: Redis's {@code maxmemory} (with the {@code noeviction}
 * policy) is the bound.
 *
 * @param <V> what a code stands for
 */
public final class RedisOneTimeCodes<V> implements OneTimeCodes<V> {
    private static final int CODE_BYTES = 32;

    private final RedisStoreConnection redis;
    private final String keyPrefix;
    private final OneTimeCodes.Codec<V> codec;

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix put before every code, e.g. {@code portcullis:builtin-code:}; not empty
     * @param codec     turns values into strings and back
     */
    public RedisOneTimeCodes(RedisStoreConnection redis, String keyPrefix, OneTimeCodes.Codec<V> codec) {
        this.redis = requireNonNull(redis, "redis");
        this.keyPrefix = KeyPrefix.checked(keyPrefix);
        this.codec = requireNonNull(codec, "codec");
    }

    @Override
    public CompletionStage<String> issue(V value, Instant expiresAt) {
        requireNonNull(value, "value");
        requireNonNull(expiresAt, "expiresAt");
        byte[] bytes = new byte[CODE_BYTES];
        NonBlockingRandom.get().nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return StoreUnavailable.asking(() -> redis.setIfAbsent(keyPrefix + code, codec.encode(value), expiresAt)
                .thenApply(stored -> {
                    if (!stored) {
                        // 256 random bits do not collide: the key exists because a command sent before a reconnect
                        // was sent again. The first send stored it, but this caller cannot tell; fail closed.
                        throw new IllegalStateException("a new code's key existed already");
                    }
                    return code;
                }));
    }

    @Override
    public CompletionStage<Optional<V>> take(String code) {
        requireNonNull(code, "code");
        return StoreUnavailable.asking(() -> redis.getAndDelete(keyPrefix + code)
                .thenApply(stored -> stored.map(codec::decode)));
    }
}
