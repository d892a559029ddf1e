package dev.portcullis.authn.builtin;

import dev.portcullis.authn.store.OneTimeCodes;

/**
 * How an authorization code of the built-in provider is kept in a shared store (Redis, PostgreSQL): the user's email and the sign-in's state and
 * nonce, {@code {"v":1,"email":"alice@example.com","state":"…","nonce":"…"}}. No credential of the user: the provider
 * reads the user from the current users file when the code is redeemed.
 */
public final class IssuedCodeCodec implements OneTimeCodes.Codec<BuiltinIdentityProvider.IssuedCode> {
    private static final String EMAIL = "email";
    private static final String STATE = "state";
    private static final String NONCE = "nonce";

    @Override
    public String encode(BuiltinIdentityProvider.IssuedCode value) {
        return StoredJson.write(EMAIL, value.email(), STATE, value.state(), NONCE, value.nonce());
    }

    @Override
    public BuiltinIdentityProvider.IssuedCode decode(String encoded) {
        StoredJson json = StoredJson.read(encoded);
        return new BuiltinIdentityProvider.IssuedCode(json.string(EMAIL), json.string(STATE), json.string(NONCE));
    }
}
