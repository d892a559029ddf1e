package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The passkeys file ({@link PasskeyFile}) on disk, beside the users file and separate from it, so the proxy
 * recording sign counts and {@code portcullis users} rewriting the users file never overwrite each other.
 *
 * <ul>
 *   <li>Every change re-reads the file, applies itself and writes the result atomically (a 0600 temporary
 *       file in the same directory, flushed, then moved over the file with {@code ATOMIC_MOVE}), all while
 *       holding an exclusive lock on a sibling {@code .lock} file: two processes (the proxy and the command
 *       line) changing passkeys at once both keep their change.</li>
 *   <li>Reads serve the last file read until the file on disk changes (another inode, size or modification
 *       time), then read it again: a change made by another process applies at the next read.</li>
 *   <li>An absent file is an empty one; a malformed file fails every read and change with an
 *       {@link IOException} naming the file, and is never overwritten.</li>
 * </ul>
 * Every method blocks on file I/O: call it from a blocking executor, never from an event loop. Thread-safe;
 * one store per file in a process (the file lock guards against other processes, not against a second store
 * of the same file in this one).
 */
public final class PasskeyStore {

    private static final int HANDLE_BYTES = 32;

    private final Path file;
    private final Path lockFile;
    private final Object changing = new Object();
    private volatile Snapshot last = new Snapshot(null, PasskeyFile.empty());

    /** @param file the passkeys file; need not exist yet */
    public PasskeyStore(Path file) {
        this.file = requireNonNull(file, "file").toAbsolutePath();
        this.lockFile = this.file.resolveSibling("." + this.file.getFileName() + ".lock");
    }

    /** The passkeys file of {@code usersFile}: {@code users.yaml} → {@code users.passkeys.json} in the same directory. */
    public static Path besideUsersFile(Path usersFile) {
        String name = usersFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return usersFile.resolveSibling(base + ".passkeys.json");
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
        synchronized (changing) {
            try (FileChannel lock = FileChannel.open(lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), privateAttributes());
                 FileLock held = lock.lock()) {
                PasskeyFile before = read();
                PasskeyFile after = change.apply(before);
                if (!after.equals(before)) {
                    write(after.toJson());
                }
                last = new Snapshot(version(), after);
                return after;
            }
        }
    }

    private PasskeyFile read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return PasskeyFile.empty();
        }
        return PasskeyFile.parse(text, file.toString());
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

    private void write(String json) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp", privateAttributes());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] privateAttributes() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private record Snapshot(Object version, PasskeyFile content) {}

    @Override
    public String toString() {
        return "PasskeyStore[" + file + "]";
    }
}
