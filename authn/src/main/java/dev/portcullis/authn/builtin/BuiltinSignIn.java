package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Checks the credentials typed into the built-in sign-in page: the password, then a TOTP code for users
 * who have a TOTP secret. Its answers are the {@link Outcome}s; the page turns a {@code SignedIn} into
 * a code with {@link BuiltinIdentityProvider#issueCode}.
 *
 * <ul>
 *   <li>Wrong credentials of any kind are answered with the same {@link #REFUSED_MESSAGE}, and an
 *       unknown email costs the same work as a known one: one Argon2id verification, against a fixed
 *       dummy hash. So neither the answer nor its timing tells which emails exist. A user without a password
 *       (passkeys only) is refused the same way, after the same verification against the dummy hash.</li>
 *   <li>Argon2id runs on the {@code hashing} executor, never on the caller's thread (an event loop).</li>
 *   <li>Guessing is slowed by a {@link LoginThrottle}: an attempt while the account or the client
 *       address is locked is answered {@code Throttled} without checking anything.</li>
 *   <li>The ticket of {@code NeedsTotp} is random (256 bits), works once and for 5 minutes; a TOTP time
 *       step accepted for a user is never accepted again for that user (nor an earlier one), so an
 *       overheard code cannot be replayed ({@link AcceptedTotpSteps}).</li>
 *   <li>The throttle and the accepted steps are stores that answer asynchronously; when one cannot
 *       answer, the attempt's stage fails with {@link StoreUnavailable} and nobody is signed in.</li>
 * </ul>
 */
public final class BuiltinSignIn {

    /** The one message of every refusal, whatever was wrong. */
    public static final String REFUSED_MESSAGE = "Wrong email, password or code.";
    /** How long the password step's ticket waits for the TOTP code. */
    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(5);

    /**
     * An Argon2id hash of a random password nobody knows, with the same parameters as new hashes, so that
     * checking an unknown email takes as long as checking a known one.
     */
    static final String DUMMY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$+LP4VseDa41QzqbYu0jSFQ$LXg8LQSoltDL7qp0bAOG7euU1vaV6QJlXj9Q9LmynJ8";

    private final Supplier<UsersFile> users;
    private final Executor hashing;
    private final Clock clock;
    private final PasswordVerifier verifier;
    private final LoginThrottle throttle;
    private final AcceptedTotpSteps acceptedSteps;
    private final OneTimeCodes<PendingTotp> pending;
    private final Totp totp = new Totp();

    /**
     * @param users   the current users file, read at every attempt (so a reloaded file applies at once)
     * @param hashing where Argon2id runs: a bounded executor, never an event loop
     * @param stores  the throttle, the accepted TOTP steps and the pending TOTP tickets
     */
    public BuiltinSignIn(Supplier<UsersFile> users, Executor hashing, Clock clock, BuiltinStores stores) {
        this(users, hashing, clock, PasswordHasher::verify, stores);
    }

    BuiltinSignIn(Supplier<UsersFile> users, Executor hashing, Clock clock, PasswordVerifier verifier,
            BuiltinStores stores) {
        this.users = requireNonNull(users, "users");
        this.hashing = requireNonNull(hashing, "hashing");
        this.clock = requireNonNull(clock, "clock");
        this.verifier = requireNonNull(verifier, "verifier");
        this.throttle = stores.throttle();
        this.acceptedSteps = stores.acceptedSteps();
        this.pending = stores.pendingTotp();
    }

    /**
     * Checks {@code email} and {@code password} from {@code clientAddress}. The password array is copied
     * at once (the caller may clear its own) and the copy cleared after the check.
     *
     * @return {@code SignedIn}, {@code NeedsTotp} when the user has a TOTP secret, {@code Refused} or
     *         {@code Throttled}; fails when {@code hashing} refuses the task, the users supplier fails, or
     *         the throttle cannot answer ({@link StoreUnavailable})
     */
    public CompletionStage<Outcome> password(String email, char[] password, String clientAddress) {
        requireNonNull(email, "email");
        requireNonNull(password, "password");
        requireNonNull(clientAddress, "clientAddress");
        char[] copy = password.clone();
        return StoreUnavailable.asking(() -> throttle.begin(email, clientAddress)).handle((wait, failure) -> {
            if (failure != null || wait.isPresent()) {
                Arrays.fill(copy, '\0');
                return failure != null ? CompletableFuture.<Outcome>failedFuture(failure)
                        : CompletableFuture.<Outcome>completedFuture(new Outcome.Throttled(wait.get()));
            }
            CompletableFuture<Optional<BuiltinUser>> checked;
            try {
                checked = CompletableFuture.supplyAsync(() -> checkPassword(email, copy), hashing);
            } catch (RejectedExecutionException e) {
                Arrays.fill(copy, '\0');
                checked = CompletableFuture.failedFuture(e);
            }
            return checked.handle((user, checkFailure) -> checkFailure != null
                            ? settled(throttle.finished(email, clientAddress), CompletableFuture.<Outcome>failedFuture(checkFailure))
                            : afterPassword(user, email, clientAddress))
                    .thenCompose(outcome -> outcome);
        }).thenCompose(outcome -> outcome);
    }

    /**
     * Checks the TOTP {@code code} for the password step's {@code pendingTicket}, which is used up by this
     * call whatever the outcome (a wrong code means signing in again from the password).
     *
     * @return {@code SignedIn}, {@code Refused} or {@code Throttled}; fails when the users supplier fails or
     *         a store cannot answer ({@link StoreUnavailable})
     */
    public CompletionStage<Outcome> totp(String pendingTicket, String code, String clientAddress) {
        requireNonNull(pendingTicket, "pendingTicket");
        requireNonNull(code, "code");
        requireNonNull(clientAddress, "clientAddress");
        return StoreUnavailable.asking(() -> pending.take(pendingTicket)).thenCompose(started -> started.isEmpty()
                ? CompletableFuture.completedFuture(Outcome.Refused.INSTANCE)
                : checkTotp(started.get().email(), code, clientAddress));
    }

    /**
     * The next step for {@code user}, who proved one factor by other means than a password (a passkey without user
     * verification: possession only): {@code NeedsTotp} when the user has a TOTP secret, as after a right password,
     * else {@code SignedIn}. The throttle is the caller's, who checked the first factor.
     *
     * @return fails when the pending tickets store cannot answer ({@link StoreUnavailable})
     */
    public CompletionStage<Outcome> afterFirstFactor(BuiltinUser user) {
        requireNonNull(user, "user");
        if (user.totpSecret().isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome.SignedIn(user));
        }
        return StoreUnavailable.asking(() -> pending.issue(new PendingTotp(user.normalizedEmail()),
                clock.instant().plus(PENDING_LIFETIME))).thenApply(Outcome.NeedsTotp::new);
    }

    private CompletionStage<Outcome> checkTotp(String email, String code, String clientAddress) {
        return StoreUnavailable.asking(() -> throttle.begin(email, clientAddress)).thenCompose(wait -> {
            if (wait.isPresent()) {
                return CompletableFuture.completedFuture(new Outcome.Throttled(wait.get()));
            }
            CompletionStage<Optional<BuiltinUser>> accepted;
            try {
                accepted = acceptedCode(email, code);
            } catch (RuntimeException e) {
                accepted = CompletableFuture.failedFuture(e);
            }
            return accepted.handle((user, failure) -> {
                if (failure != null) {
                    return settled(throttle.finished(email, clientAddress), CompletableFuture.<Outcome>failedFuture(failure));
                }
                return user.isEmpty()
                        ? settled(throttle.failed(email, clientAddress), Outcome.Refused.INSTANCE)
                        : settled(throttle.succeeded(email, clientAddress), new Outcome.SignedIn(user.get()));
            }).thenCompose(outcome -> outcome);
        });
    }

    /** The user whose TOTP code {@code code} is right and of a step not used before; empty otherwise. */
    private CompletionStage<Optional<BuiltinUser>> acceptedCode(String email, String code) {
        Optional<BuiltinUser> user = users.get().find(email).filter(u -> u.totpSecret().isPresent());
        OptionalLong step = user.isEmpty() ? OptionalLong.empty()
                : totp.acceptedStep(user.get().totpSecret().get(), code, clock.instant());
        if (step.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long accepted = step.getAsLong();
        return StoreUnavailable.asking(() -> acceptedSteps.acceptLater(user.get().normalizedEmail(), accepted,
                        Totp.acceptedUntil(accepted)))
                .thenApply(first -> first ? user : Optional.<BuiltinUser>empty());
    }

    /** The user whose password {@code password} is (cleared afterwards); empty for wrong credentials. */
    private Optional<BuiltinUser> checkPassword(String email, char[] password) {
        try {
            Optional<BuiltinUser> user = users.get().find(email);
            Optional<String> hash = user.flatMap(BuiltinUser::passwordHash);
            // A user without a password (passkeys only) costs the same verification as anyone, and is refused.
            boolean matches = verifier.verify(password, hash.orElse(DUMMY_HASH)) && hash.isPresent();
            return matches ? user : Optional.empty();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private CompletionStage<Outcome> afterPassword(Optional<BuiltinUser> user, String email, String clientAddress) {
        if (user.isEmpty()) {
            return settled(throttle.failed(email, clientAddress), Outcome.Refused.INSTANCE);
        }
        if (user.get().totpSecret().isPresent()) {
            return settled(throttle.finished(email, clientAddress), afterFirstFactor(user.get()));
        }
        return settled(throttle.succeeded(email, clientAddress), new Outcome.SignedIn(user.get()));
    }

    /** {@code outcome} once the throttle recorded how the attempt ended; fails when it could not. */
    private static CompletionStage<Outcome> settled(CompletionStage<Void> recorded, Outcome outcome) {
        return settled(recorded, CompletableFuture.completedFuture(outcome));
    }

    private static CompletionStage<Outcome> settled(CompletionStage<Void> recorded, CompletionStage<Outcome> outcome) {
        return LoginThrottle.settled(recorded, outcome);
    }

    /** Verifies a password against a PHC hash; {@link PasswordHasher#verify} outside tests. */
    @FunctionalInterface
    interface PasswordVerifier {
        boolean verify(char[] password, String phc);
    }

    /** What a pending TOTP ticket stands for: the password step passed for {@code email}, waiting for the code. */
    public record PendingTotp(String email) {
        public PendingTotp {
            requireNonNull(email, "email");
        }
    }

    /** What an attempt comes to. */
    public sealed interface Outcome {

        /** The credentials are right: the user may be signed in. */
        record SignedIn(BuiltinUser user) implements Outcome {
            public SignedIn {
                requireNonNull(user, "user");
            }
        }

        /** The password is right; the user must now give a TOTP code with this ticket (single-use, 5 minutes). */
        record NeedsTotp(String pendingTicket) implements Outcome {
            public NeedsTotp {
                requireNonNull(pendingTicket, "pendingTicket");
            }

            @Override
            public String toString() {
                return "NeedsTotp[pendingTicket=(hidden)]";
            }
        }

        /** Something was wrong; the message is always {@link #REFUSED_MESSAGE}, whatever it was. */
        record Refused(String message) implements Outcome {
            static final Refused INSTANCE = new Refused(REFUSED_MESSAGE);

            public Refused {
                requireNonNull(message, "message");
            }
        }

        /** Too many failures for the account or the address: try again after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Outcome {
            public Throttled {
                requireNonNull(retryAfter, "retryAfter");
            }
        }
    }
}
