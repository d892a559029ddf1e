package dev.portcullis.authn.builtin;

import dev.portcullis.authn.store.OneTimeCodes;

/**
 * How a ticket between the built-in provider's password and TOTP steps is kept in a shared store (Redis, PostgreSQL): the user's email only,
 * {@code {"v":1,"email":"alice@example.com"}}. The TOTP secret and the password hash stay in the users file; the
 * TOTP step reads the user from it again.
 */
public final class PendingTotpCodec implements OneTimeCodes.Codec<BuiltinSignIn.PendingTotp> {
    private static final String EMAIL = "email";

    @Override
    public String encode(BuiltinSignIn.PendingTotp value) {
        return StoredJson.write(EMAIL, value.email());
    }

    @Override
    public BuiltinSignIn.PendingTotp decode(String encoded) {
        return new BuiltinSignIn.PendingTotp(StoredJson.read(encoded).string(EMAIL));
    }
}
