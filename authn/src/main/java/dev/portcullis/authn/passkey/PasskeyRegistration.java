package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.file.BlockingFileWork;
import dev.portcullis.authn.store.StoreUnavailable;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The registration ceremony (WebAuthn §7.1) of a passkey for a built-in user who is signed in (or redeems an
 * invitation): {@link #start} gives the creation options and the {@link Pending} state the caller keeps
 * sealed; {@link #finish} checks the browser's response and stores the passkey.
 *
 * <p>{@link #finish} uses up the challenge first, whatever comes next, so a response works once. It refuses a
 * response whose client data names another origin, challenge or type, whose authenticator data hashes another
 * RP ID or lacks user presence, whose key algorithm was not offered, or whose credential id is registered
 * already; it also refuses when the user left the users file or had their passkeys reset meanwhile.
 * File reads and writes and the verification run on {@code blocking}, never on the caller's thread.
 */
public final class PasskeyRegistration {

    private final RelyingParty rp;
    private final Supplier<UsersFile> users;
    private final PasskeyStore store;
    private final PasskeyChallenges challenges;
    private final Executor blocking;
    private final Clock clock;
    private final CeremonyVerifier verifier;

    public PasskeyRegistration(RelyingParty rp, Supplier<UsersFile> users, PasskeyStore store,
            PasskeyChallenges challenges, Executor blocking, Clock clock) {
        this.rp = requireNonNull(rp, "rp");
        this.users = requireNonNull(users, "users");
        this.store = requireNonNull(store, "store");
        this.challenges = requireNonNull(challenges, "challenges");
        this.blocking = requireNonNull(blocking, "blocking");
        this.clock = requireNonNull(clock, "clock");
        this.verifier = new CeremonyVerifier(rp);
    }

    /** Begins registering a passkey for {@code user}; the user handle is created on first use. */
    public CompletionStage<Started> start(BuiltinUser user) {
        requireNonNull(user, "user");
        return BlockingFileWork.on(blocking, () -> {
            String handle = store.userHandleFor(user.normalizedEmail());
            PasskeyChallenge challenge = challenges.issue();
            String options = PasskeyOptions.creation(rp, user, handle, challenge, store.list(user.normalizedEmail()));
            return new Started(new Pending(user.normalizedEmail(), handle, challenge), options);
        });
    }

    /**
     * Checks the browser's registration response ({@code PublicKeyCredential.toJSON()}) for {@code pending} and
     * stores the passkey under {@code name}.
     *
     * @return {@code Registered} or {@code Refused}; fails when the challenge store cannot answer
     *         ({@link StoreUnavailable}) or the passkeys file cannot be read or written
     */
    public CompletionStage<Outcome> finish(Pending pending, String responseJson, String name) {
        return finish(pending, responseJson, name, email -> users.get().find(email).isPresent() ? Optional.empty()
                : Optional.of("the user no longer exists"));
    }

    /**
     * As {@link #finish(Pending, String, String)}, for a person who becomes a user only once the passkey is good (an
     * invitation): {@code admission} runs after the response is verified and before the passkey is stored, instead of
     * the check that the user is in the users file. A refusal it gives is the outcome, and nothing is stored.
     */
    public CompletionStage<Outcome> finishAdmitting(Pending pending, String responseJson, String name,
            Admission admission) {
        return finish(pending, responseJson, name, requireNonNull(admission, "admission"));
    }

    private CompletionStage<Outcome> finish(Pending pending, String responseJson, String name, Admission admission) {
        requireNonNull(pending, "pending");
        requireNonNull(responseJson, "responseJson");
        requireNonNull(name, "name");
        return challenges.claim(pending.challenge()).thenCompose(first -> first
                ? BlockingFileWork.on(blocking, () -> register(pending, responseJson, name, admission))
                : CompletableFuture.completedFuture(new Outcome.Refused("the challenge was used already or expired")));
    }

    private Outcome register(Pending pending, String responseJson, String name, Admission admission) throws IOException {
        RegistrationData data;
        try {
            data = verifier.manager().parseRegistrationResponseJSON(responseJson);
            verifier.manager().verify(data, new RegistrationParameters(verifier.expected(pending.challenge()),
                    verifier.algorithms(), false, true));
        } catch (VerificationException e) {
            return new Outcome.Refused(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return new Outcome.Refused("malformed registration response");
        }
        if (!store.userHandle(pending.email()).equals(Optional.of(pending.userHandle()))) {
            return new Outcome.Refused("the user's passkeys were reset during the registration");
        }
        AuthenticatorData<?> authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData attested = authenticatorData.getAttestedCredentialData();
        String id = CeremonyVerifier.base64url(attested.getCredentialId());
        if (store.find(id).isPresent()) {
            return new Outcome.Refused("this passkey is registered already");
        }
        Optional<String> refused = admission.refusal(pending.email());
        if (refused.isPresent()) {
            return new Outcome.Refused(refused.get());
        }
        List<String> transports = data.getTransports() == null ? List.of()
                : data.getTransports().stream().map(t -> t.getValue()).sorted().toList();
        PasskeyCredential credential = new PasskeyCredential(id, pending.email(), verifier.coseBytes(attested.getCOSEKey()),
                authenticatorData.getSignCount(), name, clock.instant(), Optional.empty(), transports);
        store.add(credential);
        return new Outcome.Registered(credential);
    }

    /** Decides, once a registration response is verified, whether its passkey may be stored for {@code email}. */
    @FunctionalInterface
    public interface Admission {
        /** Empty to store the passkey, else why not (for the log); may block (it runs on the blocking executor). */
        Optional<String> refusal(String email) throws IOException;
    }

    /**
     * What the caller keeps, sealed, between {@link #start} and {@link #finish}: whose passkey, the user handle
     * the options gave, and the challenge.
     */
    public record Pending(String email, String userHandle, PasskeyChallenge challenge) {
        public Pending {
            requireNonNull(email, "email");
            requireNonNull(userHandle, "userHandle");
            requireNonNull(challenge, "challenge");
        }
    }

    /** The state to keep and the {@code PublicKeyCredentialCreationOptionsJSON} to give the browser. */
    public record Started(Pending pending, String optionsJson) {
        public Started {
            requireNonNull(pending, "pending");
            requireNonNull(optionsJson, "optionsJson");
        }
    }

    /** What a registration comes to. */
    public sealed interface Outcome {

        /** The passkey is stored. */
        record Registered(PasskeyCredential credential) implements Outcome {
            public Registered {
                requireNonNull(credential, "credential");
            }
        }

        /** The response was not accepted; {@code reason} is for the log, not for the page. */
        record Refused(String reason) implements Outcome {
            public Refused {
                requireNonNull(reason, "reason");
            }
        }
    }
}
