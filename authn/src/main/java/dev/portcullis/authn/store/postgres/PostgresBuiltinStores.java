package dev.portcullis.authn.store.postgres;

import dev.portcullis.authn.builtin.BuiltinStores;
import dev.portcullis.authn.builtin.IssuedCodeCodec;
import dev.portcullis.authn.builtin.PendingTotpCodec;
import java.time.Clock;

/**
 * The built-in provider's stores shared by every replica on one PostgreSQL database: the sign-in throttle, the
 * accepted TOTP steps, the tickets between the password and the TOTP step, and the authorization codes, each in
 * its scope ({@code builtin_throttle}, {@code builtin_totp}, {@code builtin_totp_ticket}, {@code builtin_code}).
 * Tickets and codes hold the user's email (codes also the sign-in's state and nonce) in the same versioned JSON as
 * on Redis, never a password hash or TOTP secret.
 */
public final class PostgresBuiltinStores {
    private PostgresBuiltinStores() {}

    /** @param clock the throttle's time (replicas' clocks should agree) */
    public static BuiltinStores shared(PostgresStoreConnection postgres, Clock clock) {
        return new BuiltinStores(new PostgresLoginThrottle(postgres, "builtin_throttle", clock),
                new PostgresAcceptedTotpSteps(postgres, "builtin_totp"),
                new PostgresOneTimeCodes<>(postgres, "builtin_totp_ticket", new PendingTotpCodec()),
                new PostgresOneTimeCodes<>(postgres, "builtin_code", new IssuedCodeCodec()));
    }
}
