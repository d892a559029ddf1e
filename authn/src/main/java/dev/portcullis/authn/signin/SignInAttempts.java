package dev.portcullis.authn.signin;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Seals a {@link SignInAttempt} into its cookie value with {@code COOKIE_SECRET}, and opens it again. */
public final class SignInAttempts {
    private final SealedJson sealed;

    /** @param cookieSecret the 32-byte {@code COOKIE_SECRET} */
    public SignInAttempts(byte[] cookieSecret) {
        this.sealed = new SealedJson(cookieSecret, "sign-in attempt");
    }

    public String seal(SignInAttempt attempt) {
        Map<String, Object> json = new HashMap<>();
        json.put("st", attempt.state());
        json.put("n", attempt.nonce());
        json.put("cv", attempt.codeVerifier());
        json.put("r", attempt.returnUrl().toString());
        attempt.programmaticRedirect().ifPresent(uri -> json.put("pr", uri.toString()));
        return sealed.seal(json, attempt.expiresAt());
    }

    /** The attempt sealed in {@code value}, when authentic and not expired at {@code now}. */
    public Optional<SignInAttempt> open(String value, Instant now) {
        return sealed.open(value, now).flatMap(json -> {
            Optional<String> state = SealedJson.string(json, "st");
            Optional<String> nonce = SealedJson.string(json, "n");
            Optional<String> verifier = SealedJson.string(json, "cv");
            Optional<String> returnUrl = SealedJson.string(json, "r");
            if (state.isEmpty() || nonce.isEmpty() || verifier.isEmpty() || returnUrl.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new SignInAttempt(state.get(), nonce.get(), verifier.get(), URI.create(returnUrl.get()),
                        SealedJson.string(json, "pr").map(URI::create),
                        Instant.ofEpochSecond(((Number) json.get(SealedJson.EXPIRY)).longValue())));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}
