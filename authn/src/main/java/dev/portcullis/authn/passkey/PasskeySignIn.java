package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.VerificationException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.file.BlockingFileWork;
import dev.portcullis.authn.store.StoreUnavailable;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The authentication ceremony (WebAuthn §7.2) of a passkey sign-in with discoverable credentials:
 * {@link #start} gives the request options and the {@link Pending} state the caller keeps sealed;
 * {@link #finish} checks the browser's assertion and says who signed in.
 *
 * <p>{@link #finish} uses up the challenge first, whatever comes next, so an assertion works once. It refuses an
 * unknown credential, a credential whose owner is no longer in the users file (at once: the file is read at every
 * sign-in), a user handle other than the owner's, client data naming another origin, challenge or type,
 * authenticator data hashing another RP ID or lacking user presence, and a bad signature. A signature counter
 * that did not grow (a cloned authenticator, WebAuthn §6.1.1) is refused as {@link Outcome.CounterRegressed}, for
 * the caller to audit; counters that stay 0 on both sides are authenticators that do not count, and are accepted.
 *
 * <p>User verification is asked for but not required: an assertion without it signs in with
 * {@link Outcome.SignedIn#twoFactors()} {@code false} (possession only), and the caller must then ask for a
 * second factor or refuse. With it, the passkey counts as two factors and no TOTP code is asked.
 *
 * <p>Sign-ins are slowed by the same {@link LoginThrottle} as passwords, with the same rules: per client address,
 * and per passkey (the account is {@code passkey:} and the credential id the response names, never the owner's
 * email, so failures with a passkey never lock its owner's password sign-in, nor the other way round). An attempt
 * while either is locked is answered {@link Outcome.Throttled} without checking anything. File reads and writes and
 * the verification run on {@code blocking}.
 */
public final class PasskeySignIn {

    private final RelyingParty rp;
    private final Supplier<UsersFile> users;
    private final PasskeyStore store;
    private final PasskeyChallenges challenges;
    private final LoginThrottle throttle;
    private final Executor blocking;
    private final Clock clock;
    private final CeremonyVerifier verifier;

    /** The throttle's account for a passkey: its credential id after this prefix. */
    static final String THROTTLED_ACCOUNT_PREFIX = "passkey:";
    /** jackson-core alone: reading one member needs no databind. */
    private static final JsonFactory JSON = new JsonFactory();

    public PasskeySignIn(RelyingParty rp, Supplier<UsersFile> users, PasskeyStore store, PasskeyChallenges challenges,
            LoginThrottle throttle, Executor blocking, Clock clock) {
        this.rp = requireNonNull(rp, "rp");
        this.users = requireNonNull(users, "users");
        this.store = requireNonNull(store, "store");
        this.challenges = requireNonNull(challenges, "challenges");
        this.throttle = requireNonNull(throttle, "throttle");
        this.blocking = requireNonNull(blocking, "blocking");
        this.clock = requireNonNull(clock, "clock");
        this.verifier = new CeremonyVerifier(rp);
    }

    /** Begins a passkey sign-in; does no I/O, so it may run on an event loop. */
    public Started start() {
        PasskeyChallenge challenge = challenges.issue();
        return new Started(new Pending(challenge), PasskeyOptions.request(rp, challenge));
    }

    /**
     * Checks the browser's assertion ({@code PublicKeyCredential.toJSON()}) for {@code pending}, sent from
     * {@code clientAddress}.
     *
     * @return {@code SignedIn}, {@code Refused}, {@code CounterRegressed} or {@code Throttled}; fails when the
     *         challenge store or the throttle cannot answer ({@link StoreUnavailable}), {@code blocking} refuses the
     *         work, or the passkeys file cannot be read or written
     */
    public CompletionStage<Outcome> finish(Pending pending, String responseJson, String clientAddress) {
        requireNonNull(pending, "pending");
        requireNonNull(responseJson, "responseJson");
        requireNonNull(clientAddress, "clientAddress");
        return challenges.claim(pending.challenge()).thenCompose(first -> {
            if (!first) {
                return CompletableFuture.completedFuture(new Outcome.Refused("the challenge was used already or expired"));
            }
            String account = throttledAccount(responseJson);
            return StoreUnavailable.asking(() -> throttle.begin(account, clientAddress)).thenCompose(wait -> wait.isPresent()
                    ? CompletableFuture.completedFuture(new Outcome.Throttled(wait.get()))
                    : BlockingFileWork.on(blocking, () -> authenticate(pending, responseJson)).handle((outcome, failure) -> {
                        if (failure != null) {
                            return LoginThrottle.settled(throttle.finished(account, clientAddress), CompletableFuture.<Outcome>failedFuture(failure));
                        }
                        CompletionStage<Void> recorded = outcome instanceof Outcome.SignedIn
                                ? throttle.succeeded(account, clientAddress) : throttle.failed(account, clientAddress);
                        return LoginThrottle.settled(recorded, CompletableFuture.completedFuture(outcome));
                    }).thenCompose(outcome -> outcome));
        });
    }



    /** The throttle's account of the passkey the response names ({@code passkey:} alone when it names none). */
    static String throttledAccount(String responseJson) {
        try (JsonParser response = JSON.createParser(responseJson)) {
            if (response.nextToken() != JsonToken.START_OBJECT) {
                return THROTTLED_ACCOUNT_PREFIX;
            }
            // The last "id" counts when there are several, as with a tree reader's, and as webauthn4j reads it.
            String id = "";
            while (response.nextToken() == JsonToken.FIELD_NAME) {
                boolean isId = "id".equals(response.currentName());
                JsonToken value = response.nextToken();
                if (isId) {
                    id = value == JsonToken.VALUE_STRING ? response.getText() : "";
                }
                response.skipChildren();
            }
            return THROTTLED_ACCOUNT_PREFIX + (id.length() <= 1024 ? id : "");
        } catch (IOException | RuntimeException e) {
            return THROTTLED_ACCOUNT_PREFIX;
        }
    }

    private Outcome authenticate(Pending pending, String responseJson) throws IOException {
        AuthenticationData data;
        try {
            data = verifier.manager().parseAuthenticationResponseJSON(responseJson);
        } catch (RuntimeException e) {
            return new Outcome.Refused("malformed authentication response");
        }
        if (data.getCredentialId() == null || data.getAuthenticatorData() == null) {
            return new Outcome.Refused("malformed authentication response");
        }
        PasskeyFile passkeys = store.current();
        String id = CeremonyVerifier.base64url(data.getCredentialId());
        Optional<PasskeyCredential> known = passkeys.credential(id);
        if (known.isEmpty()) {
            return new Outcome.Refused("unknown passkey");
        }
        PasskeyCredential credential = known.get();
        Optional<BuiltinUser> user = users.get().find(credential.email());
        if (user.isEmpty()) {
            return new Outcome.Refused("the passkey's user no longer exists");
        }
        byte[] handle = passkeys.handle(credential.email()).map(Base64.getUrlDecoder()::decode).orElse(new byte[0]);
        if (data.getUserHandle() == null || !MessageDigest.isEqual(handle, data.getUserHandle())) {
            return new Outcome.Refused("the user handle is not the passkey owner's");
        }
        long presented = data.getAuthenticatorData().getSignCount();
        try {
            verifier.manager().verify(data, new AuthenticationParameters(verifier.expected(pending.challenge()),
                    verifier.record(credential), null, false, true));
        } catch (MaliciousCounterValueException e) {
            return new Outcome.CounterRegressed(credential.email(), id, credential.signCount(), presented);
        } catch (VerificationException e) {
            return new Outcome.Refused(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome.Refused("malformed authentication response");
        }
        PasskeyCredential used = credential.usedAt(clock.instant(), presented);
        if (!store.recordUse(credential.email(), id, presented, used.lastUsed().orElseThrow())) {
            return new Outcome.Refused("the passkey was removed during the sign-in");
        }
        return new Outcome.SignedIn(user.get(), used, data.getAuthenticatorData().isFlagUV());
    }

    /** What the caller keeps, sealed, between {@link #start} and {@link #finish}: the challenge. */
    public record Pending(PasskeyChallenge challenge) {
        public Pending {
            requireNonNull(challenge, "challenge");
        }
    }

    /** The state to keep and the {@code PublicKeyCredentialRequestOptionsJSON} to give the browser. */
    public record Started(Pending pending, String optionsJson) {
        public Started {
            requireNonNull(pending, "pending");
            requireNonNull(optionsJson, "optionsJson");
        }
    }

    /** What a passkey sign-in comes to. */
    public sealed interface Outcome {

        /**
         * The assertion is good: {@code user} (as the users file has it now) signed in with {@code credential}
         * (its counter and last use updated).
         *
         * @param userVerified the authenticator verified the user (PIN, biometrics): WebAuthn's UV flag
         */
        record SignedIn(BuiltinUser user, PasskeyCredential credential, boolean userVerified) implements Outcome {
            public SignedIn {
                requireNonNull(user, "user");
                requireNonNull(credential, "credential");
            }

            /** Whether this sign-in counts as two factors (possession and user verification): no TOTP code is asked. */
            public boolean twoFactors() {
                return userVerified;
            }
        }

        /** The assertion was not accepted; {@code reason} is for the log, not for the page. */
        record Refused(String reason) implements Outcome {
            public Refused {
                requireNonNull(reason, "reason");
            }
        }

        /**
         * The signature is good but the authenticator's counter did not grow past the stored one: a sign that the
         * passkey was copied. Refused; the caller records it as an audit event. The stored counter is unchanged.
         */
        record CounterRegressed(String email, String credentialId, long storedSignCount, long presentedSignCount)
                implements Outcome {
            public CounterRegressed {
                requireNonNull(email, "email");
                requireNonNull(credentialId, "credentialId");
            }
        }

        /** Too many failures from the address or with the passkey: try again after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Outcome {
            public Throttled {
                requireNonNull(retryAfter, "retryAfter");
            }
        }
    }
}
