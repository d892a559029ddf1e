package dev.portcullis.authn.store.redis;

import dev.portcullis.authn.builtin.BuiltinStores;
import dev.portcullis.authn.builtin.IssuedCodeCodec;
import dev.portcullis.authn.builtin.PendingTotpCodec;
import java.time.Clock;

/**
 * The built-in provider's stores shared by every replica on one Redis: the sign-in throttle, the accepted TOTP
 * steps, the tickets between the password and the TOTP step, and the authorization codes. Here rather than beside
 * {@link BuiltinStores#inMemory} because this package builds on {@code builtin}, never the reverse; the codecs
 * ({@link PendingTotpCodec}, {@link IssuedCodeCodec}) are {@code builtin}'s, shared with PostgreSQL.
 *
 * <p><b>Keys</b>, under the deployment's prefix {@code p}: {@code {p}throttle:} ({@link RedisLoginThrottle}),
 * {@code {p}totp:} ({@link RedisAcceptedTotpSteps}), {@code {p}totp-ticket:} and {@code {p}builtin-code:}
 * ({@link RedisOneTimeCodes}). Tickets and codes hold the user's email (codes also the sign-in's state and nonce),
 * never a password hash or TOTP secret: the provider reads the user from the users file again when they are used.
 */
public final class RedisBuiltinStores {
    private RedisBuiltinStores() {}

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix the deployment's prefix, e.g. {@code portcullis:}; not empty
     * @param clock     the throttle's time (replicas' clocks should agree)
     */
    public static BuiltinStores shared(RedisStoreConnection redis, String keyPrefix, Clock clock) {
        String prefix = KeyPrefix.checked(keyPrefix);
        return new BuiltinStores(new RedisLoginThrottle(redis, prefix + "throttle:", clock),
                new RedisAcceptedTotpSteps(redis, prefix + "totp:"),
                new RedisOneTimeCodes<>(redis, prefix + "totp-ticket:", new PendingTotpCodec()),
                new RedisOneTimeCodes<>(redis, prefix + "builtin-code:", new IssuedCodeCodec()));
    }
}
