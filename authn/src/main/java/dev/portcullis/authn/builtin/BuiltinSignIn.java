package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
 *       dummy hash. So neither the answer nor its timing tells which emails exist.</li>
 *   <li>Argon2id runs on the {@code hashing} executor, never on the caller's thread (an event loop).</li>
 *   <li>Guessing is slowed by a {@link LoginThrottle}: an attempt while the account or the client
 *       address is locked is answered {@code Throttled} without checking anything.</li>
 *   <li>The ticket of {@code NeedsTotp} is random (256 bits), works once and for 5 minutes; a TOTP time
 *       step accepted for a user is never accepted again for that user (nor an earlier one), so an
 *       overheard code cannot be replayed. These steps are kept in memory: a restart forgets them.</li>
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

    private static final int MAX_PENDING = 10_000;

    private final Supplier<UsersFile> users;
    private final Executor hashing;
    private final Clock clock;
    private final PasswordVerifier verifier;
    private final LoginThrottle throttle;
    private final OneTimeCodes<Pending> pending;
    private final Totp totp = new Totp();
    private final Map<String, Long> lastAcceptedSteps = new ConcurrentHashMap<>();

    /**
     * @param users   the current users file, read at every attempt (so a reloaded file applies at once)
     * @param hashing where Argon2id runs: a bounded executor, never an event loop
     */
    public BuiltinSignIn(Supplier<UsersFile> users, Executor hashing, Clock clock) {
        this(users, hashing, clock, PasswordHasher::verify, new LoginThrottle(clock));
    }

    BuiltinSignIn(Supplier<UsersFile> users, Executor hashing, Clock clock, PasswordVerifier verifier,
            LoginThrottle throttle) {
        this.users = requireNonNull(users, "users");
        this.hashing = requireNonNull(hashing, "hashing");
        this.clock = requireNonNull(clock, "clock");
        this.verifier = requireNonNull(verifier, "verifier");
        this.throttle = requireNonNull(throttle, "throttle");
        this.pending = new OneTimeCodes<>(PENDING_LIFETIME, MAX_PENDING, clock);
    }

    /**
     * Checks {@code email} and {@code password} from {@code clientAddress}. The password array is copied
     * at once (the caller may clear its own) and the copy cleared after the check.
     *
     * @return {@code SignedIn}, {@code NeedsTotp} when the user has a TOTP secret, {@code Refused} or
     *         {@code Throttled}; fails only if {@code hashing} refuses the task or the users supplier fails
     */
    public CompletionStage<Outcome> password(String email, char[] password, String clientAddress) {
        requireNonNull(email, "email");
        requireNonNull(password, "password");
        requireNonNull(clientAddress, "clientAddress");
        Optional<Duration> wait = throttle.begin(email, clientAddress);
        if (wait.isPresent()) {
            return CompletableFuture.completedFuture(new Outcome.Throttled(wait.get()));
        }
        char[] copy = password.clone();
        try {
            return CompletableFuture.supplyAsync(() -> checkPassword(email, copy, clientAddress), hashing);
        } catch (RejectedExecutionException e) {
            Arrays.fill(copy, '\0');
            throttle.finished(email, clientAddress);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Checks the TOTP {@code code} for the password step's {@code pendingTicket}, which is used up by this
     * call whatever the outcome (a wrong code means signing in again from the password).
     */
    public Outcome totp(String pendingTicket, String code, String clientAddress) {
        requireNonNull(pendingTicket, "pendingTicket");
        requireNonNull(code, "code");
        requireNonNull(clientAddress, "clientAddress");
        Optional<Pending> started = pending.take(pendingTicket);
        if (started.isEmpty()) {
            return Outcome.Refused.INSTANCE;
        }
        String email = started.get().email();
        Optional<Duration> wait = throttle.begin(email, clientAddress);
        if (wait.isPresent()) {
            return new Outcome.Throttled(wait.get());
        }
        boolean settled = false;
        try {
            Optional<BuiltinUser> user = users.get().find(email).filter(u -> u.totpSecret().isPresent());
            OptionalLong step = user.isEmpty() ? OptionalLong.empty()
                    : totp.acceptedStep(user.get().totpSecret().get(), code, clock.instant());
            if (step.isEmpty() || !firstUseOf(user.get(), step.getAsLong())) {
                settled = true;
                throttle.failed(email, clientAddress);
                return Outcome.Refused.INSTANCE;
            }
            settled = true;
            throttle.succeeded(email, clientAddress);
            return new Outcome.SignedIn(user.get());
        } finally {
            if (!settled) {
                throttle.finished(email, clientAddress);
            }
        }
    }

    private Outcome checkPassword(String email, char[] password, String clientAddress) {
        boolean settled = false;
        try {
            Optional<BuiltinUser> user = users.get().find(email);
            boolean matches = verifier.verify(password, user.map(BuiltinUser::passwordHash).orElse(DUMMY_HASH));
            if (!matches || user.isEmpty()) {
                settled = true;
                throttle.failed(email, clientAddress);
                return Outcome.Refused.INSTANCE;
            }
            if (user.get().totpSecret().isPresent()) {
                String ticket = pending.issue(new Pending(user.get().normalizedEmail()));
                settled = true;
                throttle.finished(email, clientAddress);
                return new Outcome.NeedsTotp(ticket);
            }
            settled = true;
            throttle.succeeded(email, clientAddress);
            return new Outcome.SignedIn(user.get());
        } finally {
            Arrays.fill(password, '\0');
            if (!settled) {
                throttle.finished(email, clientAddress);
            }
        }
    }

    /** Records {@code step} as used for {@code user}; false when it or a later step was used before. */
    private boolean firstUseOf(BuiltinUser user, long step) {
        boolean[] fresh = {false};
        lastAcceptedSteps.compute(user.normalizedEmail(), (email, last) -> {
            if (last != null && last >= step) {
                return last;
            }
            fresh[0] = true;
            return step;
        });
        return fresh[0];
    }

    /** Verifies a password against a PHC hash; {@link PasswordHasher#verify} outside tests. */
    @FunctionalInterface
    interface PasswordVerifier {
        boolean verify(char[] password, String phc);
    }

    /** A password step passed, waiting for the code. */
    private record Pending(String email) {}

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
