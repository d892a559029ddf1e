package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.signin.SealedJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Seals the state a passkey ceremony keeps between its two halves ({@link PasskeyRegistration.Pending},
 * {@link PasskeySignIn.Pending}) into an opaque value the page carries back, with {@code COOKIE_SECRET}: the
 * browser can neither read nor change it, any replica can open it, and it opens only until its challenge expires.
 *
 * <p>Each sealed value is bound to a {@code context}, which the caller chooses and must give again to open it: the
 * session it was issued to (registration from the user page), the sign-in attempt's state (sign-in), or the
 * invitation (registration by an invited person). A value issued in one context never opens in another, so a
 * ceremony started by one person or page cannot be finished by another. The challenge itself is still used only
 * once ({@link PasskeyChallenges#claim}); this seal only keeps the state honest.
 */
public final class PasskeyCeremonySeal {
    private final SealedJson registration;
    private final SealedJson signIn;

    /** @param cookieSecret the 32-byte {@code COOKIE_SECRET} */
    public PasskeyCeremonySeal(byte[] cookieSecret) {
        this.registration = new SealedJson(cookieSecret, "passkey registration");
        this.signIn = new SealedJson(cookieSecret, "passkey sign-in");
    }

    /** {@code pending} sealed for {@code context}, until its challenge expires. */
    public String seal(PasskeyRegistration.Pending pending, String context) {
        requireNonNull(pending, "pending");
        requireNonNull(context, "context");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("e", pending.email());
        json.put("h", pending.userHandle());
        json.put("c", pending.challenge().value());
        json.put("x", context);
        return registration.seal(json, pending.challenge().expiresAt());
    }

    /** {@code pending} sealed for {@code context}, until its challenge expires. */
    public String seal(PasskeySignIn.Pending pending, String context) {
        requireNonNull(pending, "pending");
        requireNonNull(context, "context");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("c", pending.challenge().value());
        json.put("x", context);
        return signIn.seal(json, pending.challenge().expiresAt());
    }

    /** The registration sealed in {@code sealed}, when authentic, for {@code context} and not expired at {@code now}. */
    public Optional<PasskeyRegistration.Pending> openRegistration(String sealed, String context, Instant now) {
        requireNonNull(context, "context");
        return registration.open(sealed, requireNonNull(now, "now"))
                .filter(json -> SealedJson.string(json, "x").filter(context::equals).isPresent())
                .flatMap(json -> {
                    Optional<String> email = SealedJson.string(json, "e");
                    Optional<String> handle = SealedJson.string(json, "h");
                    Optional<PasskeyChallenge> challenge = challenge(json);
                    if (email.isEmpty() || handle.isEmpty() || challenge.isEmpty()) {
                        return Optional.empty();
                    }
                    return Optional.of(new PasskeyRegistration.Pending(email.get(), handle.get(), challenge.get()));
                });
    }

    /** The sign-in sealed in {@code sealed}, when authentic, for {@code context} and not expired at {@code now}. */
    public Optional<PasskeySignIn.Pending> openSignIn(String sealed, String context, Instant now) {
        requireNonNull(context, "context");
        return signIn.open(sealed, requireNonNull(now, "now"))
                .filter(json -> SealedJson.string(json, "x").filter(context::equals).isPresent())
                .flatMap(PasskeyCeremonySeal::challenge)
                .map(PasskeySignIn.Pending::new);
    }

    private static Optional<PasskeyChallenge> challenge(Map<String, Object> json) {
        return SealedJson.string(json, "c").map(value -> new PasskeyChallenge(value,
                Instant.ofEpochSecond(((Number) json.get(SealedJson.EXPIRY)).longValue())));
    }
}
