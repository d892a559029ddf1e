package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Autocert's state shared by every replica on one Redis, as opaque text: the ACME account key, one value per
 * certificate (its chain and private key), an issuance lock per certificate, and the HTTP-01 answers in flight. What
 * the text means (PEM, which names) is the caller's business; this class only keeps it.
 *
 * <p><b>Keys</b>, under the deployment's prefix {@code p}: {@code {p}autocert:account} and
 * {@code {p}autocert:certificate:{name}} (no expiry: they hold what a replica needs to serve and to order, and Redis
 * must keep them, so its {@code maxmemory-policy} must be {@code noeviction}); {@code {p}autocert:lock:{name}}
 * (holding its owner's id, until released or until the expiry its owner chose); {@code {p}autocert:http-01:{token}}
 * (the key authorization, until its expiry). A saved certificate is announced on the channel
 * {@code {p}autocert:issued} in the same script, so no replica misses one it is subscribed for.
 *
 * <p><b>Holds private keys:</b> the account key and every certificate's key are in Redis in clear text; protect it
 * (a password, TLS, a private network). Nothing here logs a key or a value.
 *
 * <p>Every answer completes on one of Lettuce's threads, or fails with {@link StoreUnavailable} (see
 * {@link RedisStoreConnection}).
 */
public final class RedisAutocertStore {
    /** SET NX with no expiry; '1' when this call set it. */
    private static final String SET_ONCE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX') then return '1' end return '0'";
    /** SET and PUBLISH together: a saved certificate is always announced. */
    private static final String SAVE_AND_ANNOUNCE =
            "redis.call('SET', KEYS[1], ARGV[1]) redis.call('PUBLISH', ARGV[2], ARGV[3]) return 'OK'";
    /** DEL only when the lock is still the caller's (it may have expired and been taken by another replica). */
    private static final String RELEASE =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 'OK'";
    private static final String SET_UNTIL = "redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2]) return 'OK'";
    private static final String DELETE = "redis.call('DEL', KEYS[1]) return 'OK'";

    private final RedisStoreConnection redis;
    private final String prefix;

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix the deployment's prefix, e.g. {@code portcullis:}; not empty
     */
    public RedisAutocertStore(RedisStoreConnection redis, String keyPrefix) {
        this.redis = requireNonNull(redis, "redis");
        this.prefix = KeyPrefix.checked(keyPrefix) + "autocert:";
    }

    /** The prefix of every key this store writes, e.g. {@code portcullis:autocert:}, for messages to a person. */
    public String keyPrefix() {
        return prefix;
    }

    /** The account key's text; empty when no replica created one yet. */
    public CompletionStage<Optional<String>> account() {
        return redis.get(prefix + "account");
    }

    /** Stores the account key's text unless one is there already: {@code true} when this call stored it. */
    public CompletionStage<Boolean> createAccount(String text) {
        requireNonNull(text, "text");
        return redis.run(SET_ONCE, new String[] {prefix + "account"}, text).thenApply("1"::equals);
    }

    /** The text of the certificate named {@code name}; empty when there is none. */
    public CompletionStage<Optional<String>> certificate(String name) {
        return redis.get(prefix + "certificate:" + requireNonNull(name, "name"));
    }

    /** Stores the certificate named {@code name}, replacing what was there, and announces it to {@link #watch}ers. */
    public CompletionStage<Void> saveCertificate(String name, String text) {
        requireNonNull(name, "name");
        requireNonNull(text, "text");
        return redis.run(SAVE_AND_ANNOUNCE, new String[] {prefix + "certificate:" + name}, text, prefix + "issued", name)
                .thenApply(ok -> null);
    }

    /**
     * Takes the issuance lock of {@code name} for {@code owner} until {@code expiresAt} ({@code SET NX PXAT}):
     * {@code true} when this call took it, {@code false} when another owner holds it.
     */
    public CompletionStage<Boolean> lock(String name, String owner, Instant expiresAt) {
        return redis.setIfAbsent(prefix + "lock:" + requireNonNull(name, "name"), requireNonNull(owner, "owner"),
                requireNonNull(expiresAt, "expiresAt"));
    }

    /** Releases the issuance lock of {@code name} when {@code owner} still holds it. */
    public CompletionStage<Void> unlock(String name, String owner) {
        return redis.run(RELEASE, new String[] {prefix + "lock:" + requireNonNull(name, "name")},
                requireNonNull(owner, "owner")).thenApply(ok -> null);
    }

    /** Publishes the HTTP-01 answer for {@code token} to every replica until {@code expiresAt}. */
    public CompletionStage<Void> putHttp01(String token, String keyAuthorization, Instant expiresAt) {
        return redis.run(SET_UNTIL, new String[] {prefix + "http-01:" + requireNonNull(token, "token")},
                requireNonNull(keyAuthorization, "keyAuthorization"),
                Long.toString(Math.max(1, expiresAt.toEpochMilli()))).thenApply(ok -> null);
    }

    /** The HTTP-01 answer for {@code token}, published by any replica; empty when none is in flight. */
    public CompletionStage<Optional<String>> http01(String token) {
        return redis.get(prefix + "http-01:" + requireNonNull(token, "token"));
    }

    /** Withdraws the HTTP-01 answer for {@code token}. */
    public CompletionStage<Void> removeHttp01(String token) {
        return redis.run(DELETE, new String[] {prefix + "http-01:" + requireNonNull(token, "token")})
                .thenApply(ok -> null);
    }

    /**
     * Calls {@code changed} with a certificate's name each time a replica saves one, and with an empty name each
     * time the subscription is (re)established: messages sent meanwhile were missed, so every certificate may have
     * changed. Called on one of Lettuce's threads: it must not block.
     */
    public void watch(Consumer<Optional<String>> changed) {
        requireNonNull(changed, "changed");
        redis.subscribe(prefix + "issued", new RedisStoreConnection.Subscriber() {
            @Override
            public void subscribed() {
                changed.accept(Optional.empty());
            }

            @Override
            public void message(String name) {
                changed.accept(Optional.of(name));
            }
        });
    }

    @Override
    public String toString() {
        return "RedisAutocertStore[" + prefix + "]";
    }
}
