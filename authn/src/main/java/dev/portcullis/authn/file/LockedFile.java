package dev.portcullis.authn.file;

import static java.util.Objects.requireNonNull;

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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UTF-8 text file that several writers change, in this process and in others (the proxy and
 * {@code portcullis users}), without losing each other's changes.
 *
 * <ul>
 *   <li>{@link #update} holds an exclusive OS lock on the sibling {@code .NAME.lock} file and, because the OS
 *       lock belongs to the whole process, a lock per file shared by every thread of this process; under both
 *       it re-reads the file, applies the change and writes the result.</li>
 *   <li>A write is atomic: a temporary file in the same directory, owner read and write only (0600, where the
 *       file system has POSIX permissions), flushed to disk, then moved over the file with {@code ATOMIC_MOVE}.
 *       A reader sees the old or the new file, never a part.</li>
 *   <li>A symbolic link is followed at each change: the file it points to is replaced, not the link, and the
 *       lock file sits beside that file.</li>
 * </ul>
 * Every method blocks on file I/O: call it from a blocking executor or the command line, never an event loop.
 */
public final class LockedFile {

    /**
     * One lock per lock file for the threads of this process. The OS lock cannot serve: it is held per process,
     * and a second channel of the same process asking for it fails rather than waits. Static because two
     * {@code LockedFile}s of one file in one process must exclude each other; it only ever holds locks.
     */
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;

    /** @param file the file; need not exist yet, but its directory must */
    public LockedFile(Path file) {
        this.file = requireNonNull(file, "file").toAbsolutePath();
    }

    /** The file as given (absolute), which may be a symbolic link. */
    public Path file() {
        return file;
    }

    /** The file's text as it is on disk now; empty when the file does not exist. */
    public Optional<String> read() throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Applies {@code change} to the file's current text (empty when absent) under the locks, and writes the text
     * it returns; when it returns empty, or throws, nothing is written.
     */
    public void update(Change change) throws IOException {
        requireNonNull(change, "change");
        Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
        Path lockFile = target.resolveSibling("." + target.getFileName() + ".lock");
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        inProcess.lock();
        try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                ownerOnly());
             FileLock held = channel.lock()) {
            Optional<String> after = change.apply(read());
            if (after.isPresent()) {
                write(target, after.get());
            }
        } finally {
            inProcess.unlock();
        }
    }

    private static void write(Path target, String text) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp", ownerOnly());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    /** A change of the file's text. */
    @FunctionalInterface
    public interface Change {
        /**
         * @param current the text on disk, read under the lock; empty when the file does not exist
         * @return the text to write, or empty to leave the file as it is
         */
        Optional<String> apply(Optional<String> current) throws IOException;
    }

    @Override
    public String toString() {
        return "LockedFile[" + file + "]";
    }
}
