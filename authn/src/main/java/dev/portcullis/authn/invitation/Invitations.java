package dev.portcullis.authn.invitation;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.file.LockedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pending invitations, in a file of their own beside the users file ({@code users.yaml} →
 * {@code users.invitations.json}), changed through a {@link LockedFile} so the proxy and {@code portcullis users}
 * never lose each other's changes.
 *
 * <ul>
 *   <li>A token is 32 random bytes, base64url; the file holds only its SHA-256 digest, so reading the file
 *       accepts no invitation. Tokens are compared by digest, in constant time.</li>
 *   <li>An email has at most one pending invitation: inviting it again replaces the earlier one, whose link
 *       stops working.</li>
 *   <li>{@link #take} removes the invitation under the lock: it is used once, also across processes.</li>
 *   <li>Expired invitations never match, and are dropped from the file by every change that knows the time
 *       ({@link #invite}, {@link #take}).</li>
 *   <li>Every read reads the file again, so a change by another process applies at once. An absent file has no
 *       invitations; a malformed file fails every read and change with an {@link IOException} naming the file,
 *       and is never overwritten.</li>
 * </ul>
 * Every method blocks on file I/O: call it from a blocking executor or the command line, never an event loop.
 */
public final class Invitations {

    private static final int TOKEN_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final LockedFile file;

    /** @param file the invitations file; need not exist yet */
    public Invitations(Path file) {
        this.file = new LockedFile(requireNonNull(file, "file"));
    }

    /** The invitations file of {@code usersFile}: {@code users.yaml} → {@code users.invitations.json} beside it. */
    public static Path besideUsersFile(Path usersFile) {
        return UsersFile.besideUsersFile(usersFile, "invitations.json");
    }

    /** The file this store keeps. */
    public Path file() {
        return file.file();
    }

    /**
     * Invites {@code email} for {@code validity} from {@code now}, replacing a pending invitation of the same email.
     *
     * @return the new token, to be handed to the invited person only
     * @throws IllegalArgumentException when {@code email} is not an address or {@code validity} is not positive
     */
    public String invite(String email, String name, List<String> groups, Duration validity, Instant now)
            throws IOException {
        requireNonNull(validity, "validity");
        requireNonNull(now, "now");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity: " + validity + " (expected: > 0)");
        }
        byte[] random = new byte[TOKEN_BYTES];
        NonBlockingRandom.get().nextBytes(random);
        String token = BASE64URL.encodeToString(random);
        Invitation invitation = new Invitation(email, name, groups, now, now.plus(validity), digest(token));
        invitation.asUser(Optional.empty()); // refuses an email that could never become a user
        change(content -> content.withoutExpired(now).with(invitation));
        return token;
    }

    /** The invitations that still work at {@code now}, in the order they were made. */
    public List<Invitation> pending(Instant now) throws IOException {
        requireNonNull(now, "now");
        return read().withoutExpired(now).all();
    }

    /** The invitation of {@code token} when it still works at {@code now}; does not use it up. */
    public Optional<Invitation> find(String token, Instant now) throws IOException {
        requireNonNull(token, "token");
        requireNonNull(now, "now");
        return read().withDigest(digest(token)).filter(invitation -> !invitation.expiredAt(now));
    }

    /**
     * Uses up the invitation of {@code token}: removes it from the file under the lock, so only one caller, in any
     * process, gets it.
     *
     * @return the invitation when it still worked at {@code now}; empty when unknown, used or expired
     */
    public Optional<Invitation> take(String token, Instant now) throws IOException {
        requireNonNull(token, "token");
        requireNonNull(now, "now");
        String digest = digest(token);
        Changed changed = change(content -> {
            InvitationFile working = content.withoutExpired(now);
            return working.withDigest(digest).map(taken -> working.without(taken.email())).orElse(working);
        });
        return changed.before().withoutExpired(now).withDigest(digest);
    }

    /** Withdraws the pending invitation of {@code email} (compared case-insensitively); {@code false} when it had none. */
    public boolean withdraw(String email) throws IOException {
        requireNonNull(email, "email");
        return !change(content -> content.without(email)).unchanged();
    }

    private InvitationFile read() throws IOException {
        return parse(file.read());
    }

    private InvitationFile parse(Optional<String> text) throws IOException {
        return text.isEmpty() ? InvitationFile.empty() : InvitationFile.parse(text.get(), file.file().toString());
    }

    /** Applies {@code change} to the file as it is on disk now, under the lock, and writes the result when it differs. */
    private Changed change(Function<InvitationFile, InvitationFile> change) throws IOException {
        Changed[] changed = {null};
        file.update(text -> {
            InvitationFile before = parse(text);
            InvitationFile after = change.apply(before);
            changed[0] = new Changed(before, after);
            return changed[0].unchanged() ? Optional.empty() : Optional.of(after.toJson());
        });
        return changed[0];
    }

    private record Changed(InvitationFile before, InvitationFile after) {
        boolean unchanged() {
            return before.equals(after);
        }
    }

    /** The SHA-256 digest of {@code token}'s UTF-8 bytes, base64url: what the file keeps. */
    private static String digest(String token) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "Invitations[" + file.file() + "]";
    }
}
