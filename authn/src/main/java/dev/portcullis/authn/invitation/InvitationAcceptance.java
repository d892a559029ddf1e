package dev.portcullis.authn.invitation;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.builtin.UsersFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether an invitation makes a user, and makes it: the invitation is used up first (so it works once,
 * even when what follows fails), then the user is added to the users file with {@link UsersFile#update}, unless
 * the file has that email already.
 *
 * <p>The caller does what needs no file first: it hashes a chosen password with {@link PasswordHasher#hash}, or
 * verifies the WebAuthn registration ceremony, then calls {@link #accept}, then (for a passkey) stores the
 * credential. So a failed ceremony never uses the invitation up. {@link #accept} blocks on file I/O: call it from
 * a blocking executor, never an event loop.
 */
public final class InvitationAcceptance {

    private final Invitations invitations;
    private final Path usersFile;

    /**
     * @param invitations the pending invitations
     * @param usersFile   the users file the invited person is added to
     */
    public InvitationAcceptance(Invitations invitations, Path usersFile) {
        this.invitations = requireNonNull(invitations, "invitations");
        this.usersFile = requireNonNull(usersFile, "usersFile");
    }

    /**
     * Accepts the invitation of {@code token} at {@code now}, making a user with {@code passwordHash} (empty: a
     * user who signs in with passkeys only).
     *
     * @return {@code Accepted} with the new user; {@code Refused} when the invitation is unknown, used or expired,
     *         or when the users file has that email already (the invitation is then used up all the same)
     * @throws IllegalArgumentException when {@code passwordHash} is not an Argon2id hash ({@link PasswordHasher#problem});
     *                                  the invitation is then left alone
     * @throws IOException              when a file cannot be read or written, or is malformed (the invitation may
     *                                  be used up)
     */
    public Outcome accept(String token, Optional<String> passwordHash, Instant now) throws IOException {
        requireNonNull(token, "token");
        requireNonNull(passwordHash, "passwordHash");
        requireNonNull(now, "now");
        Optional<String> hashProblem = passwordHash.flatMap(PasswordHasher::problem);
        if (hashProblem.isPresent()) {
            throw new IllegalArgumentException("passwordHash: " + hashProblem.get());
        }
        Optional<Invitation> taken = invitations.take(token, now);
        if (taken.isEmpty()) {
            return new Outcome.Refused("unknown, used or expired invitation");
        }
        BuiltinUser user = taken.get().asUser(passwordHash);
        try {
            UsersFile.update(usersFile, users -> {
                if (users.find(user.email()).isPresent()) {
                    throw new AlreadyAUser();
                }
                return users.with(user);
            });
        } catch (AlreadyAUser e) {
            return new Outcome.Refused(user.email() + " is a user already");
        } catch (UsersFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Outcome.Accepted(user);
    }

    /** Thrown out of the users file change to leave the file alone. */
    private static final class AlreadyAUser extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyAUser() {
            super(null, null, false, false);
        }
    }

    /** What accepting an invitation comes to. */
    public sealed interface Outcome {

        /** The invitation was good: {@code user} is in the users file now. */
        record Accepted(BuiltinUser user) implements Outcome {
            public Accepted {
                requireNonNull(user, "user");
            }
        }

        /** No user was made; {@code reason} is for logs, not for pages. */
        record Refused(String reason) implements Outcome {
            public Refused {
                requireNonNull(reason, "reason");
            }
        }
    }
}
