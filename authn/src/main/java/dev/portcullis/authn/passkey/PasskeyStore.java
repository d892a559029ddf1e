package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.file.LockedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The passkeys file ({@link PasskeyFile}) on disk, beside the users file and separate from it, so the proxy
 * recording sign counts and {@code portcullis users} rewriting the users file never overwrite each other.
 *
 * <ul>
 *   <li>Every change goes through a {@link LockedFile}: under a lock it re-reads the file, applies itself and
 *       writes the result atomically (0600): two processes (the proxy and the command line) changing passkeys
 *       at once both keep their change.</li>
 *   <li>Reads serve the last file read until the file on disk changes (another inode, size or modification
 *       time), then read it again: a change made by another process applies at the next read.</li>
 *   <li>An absent file is an empty one; a malformed file fails every read and change with an
 *       {@link IOException} naming the file, and is never overwritten.</li>
 * </ul>
 * Every method blocks on file I/O: call it from a blocking executor, never from an event loop. Thread-safe.
 */
public final class PasskeyStore {

    private static final int HANDLE_BYTES = 32;

    private final Path file;
    private final LockedFile locked;
    private volatile Snapshot last = new Snapshot(null, PasskeyFile.empty());

    /** @param file the passkeys file; need not exist yet */
    public PasskeyStore(Path file) {
        this.file = requireNonNull(file, "file").toAbsolutePath();
        this.locked = new LockedFile(this.file);
    }

    /** The passkeys file of {@code usersFile}: {@code users.yaml} → {@code users.passkeys.json} in the same directory. */
    public static Path besideUsersFile(Path usersFile) {
        return UsersFile.besideUsersFile(usersFile, "passkeys.json");
    }

    /** The file this store keeps. */
    public Path file() {
        return file;
    }

    /** The file's current content, read again when it changed on disk since the last read. */
    public PasskeyFile current() throws IOException {
        Object version = version();
        Snapshot seen = last;
        if (Objects.equals(seen.version(), version) && version != null) {
            return seen.content();
        }
        PasskeyFile content = read();
        last = new Snapshot(version, content);
        return content;
    }

    /** The passkeys of {@code email}, oldest first. */
    public List<PasskeyCredential> list(String email) throws IOException {
        return current().credentials(email);
    }

    /** The credential with this id, whoever owns it. */
    public Optional<PasskeyCredential> find(String credentialId) throws IOException {
        return current().credential(credentialId);
    }

    /** The user handle of {@code email}, when the user has one. */
    public Optional<String> userHandle(String email) throws IOException {
        return current().handle(email);
    }

    /** The user handle of {@code email}, created (32 random bytes, base64url) and written when the user has none. */
    public String userHandleFor(String email) throws IOException {
        Optional<String> known = userHandle(email);
        if (known.isPresent()) {
            return known.get();
        }
        byte[] random = new byte[HANDLE_BYTES];
        NonBlockingRandom.get().nextBytes(random);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return update(content -> content.withHandle(email, fresh)).handle(email).orElseThrow();
    }

    /** Adds {@code credential} (replacing one with the same id of the same user); the owner must have a handle. */
    public void add(PasskeyCredential credential) throws IOException {
        requireNonNull(credential, "credential");
        update(content -> content.with(credential));
    }

    /** Renames the passkey {@code credentialId} of {@code email}; {@code false} when the user has no such passkey. */
    public boolean rename(String email, String credentialId, String name) throws IOException {
        requireNonNull(name, "name");
        return changed(email, credentialId, credential -> credential.named(name));
    }

    /** Removes the passkey {@code credentialId} of {@code email}; {@code false} when the user has no such passkey. */
    public boolean remove(String email, String credentialId) throws IOException {
        return changed(email, credentialId, credential -> null);
    }

    /**
     * Records a sign-in with {@code credentialId} of {@code email} at {@code usedAt} with the authenticator's
     * counter; the stored counter never goes down. {@code false} when the passkey is gone meanwhile.
     */
    public boolean recordUse(String email, String credentialId, long signCount, Instant usedAt) throws IOException {
        requireNonNull(usedAt, "usedAt");
        return changed(email, credentialId, credential -> credential.usedAt(usedAt, signCount));
    }

    /**
     * Removes all passkeys of {@code email} and the user handle, so passkeys registered before stop working at
     * once, even if a user with the same email is added again.
     *
     * @return how many passkeys were removed
     */
    public int resetFor(String email) throws IOException {
        requireNonNull(email, "email");
        int[] removed = {0};
        update(content -> {
            removed[0] = content.credentials(email).size();
            return content.without(email);
        });
        return removed[0];
    }

    private boolean changed(String email, String credentialId, UnaryOperator<PasskeyCredential> change) throws IOException {
        requireNonNull(email, "email");
        requireNonNull(credentialId, "credentialId");
        boolean[] found = {false};
        update(content -> {
            found[0] = content.credentials(email).stream().anyMatch(c -> c.id().equals(credentialId));
            return content.changing(email, credentialId, change);
        });
        return found[0];
    }

    /** Applies {@code change} to the file as it is on disk now, under the lock, and writes the result. */
    private PasskeyFile update(UnaryOperator<PasskeyFile> change) throws IOException {
        PasskeyFile[] after = {null};
        locked.update(text -> {
            PasskeyFile before = parse(text);
            after[0] = change.apply(before);
            return after[0].equals(before) ? Optional.empty() : Optional.of(after[0].toJson());
        });
        // The next read reads the file again: another process may have written it since this change.
        last = new Snapshot(null, after[0]);
        return after[0];
    }

    private PasskeyFile read() throws IOException {
        return parse(locked.read());
    }

    private PasskeyFile parse(Optional<String> text) throws IOException {
        return text.isEmpty() ? PasskeyFile.empty() : PasskeyFile.parse(text.get(), file.toString());
    }

    /** What tells one version of the file from another: inode, size and modification time; null when absent. */
    private Object version() throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(attributes.fileKey()), attributes.size(), attributes.lastModifiedTime());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private record Snapshot(Object version, PasskeyFile content) {}

    @Override
    public String toString() {
        return "PasskeyStore[" + file + "]";
    }
}
