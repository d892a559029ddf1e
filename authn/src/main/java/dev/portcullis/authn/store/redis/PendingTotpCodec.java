package dev.portcullis.authn.store.redis;

import dev.portcullis.authn.builtin.BuiltinSignIn.PendingTotp;

/**
 * How a ticket between the built-in provider's password and TOTP steps is kept in Redis: the user's email only,
 * {@code {"v":1,"email":"alice@example.com"}}. The TOTP secret and the password hash stay in the users file; the
 * TOTP step reads the user from it again.
 */
public final class PendingTotpCodec implements RedisOneTimeCodes.Codec<PendingTotp> {
    private static final String EMAIL = "email";

    @Override
    public String encode(PendingTotp value) {
        return StoredJson.write(EMAIL, value.email());
    }

    @Override
    public PendingTotp decode(String encoded) {
        return new PendingTotp(StoredJson.read(encoded).string(EMAIL));
    }
}
