package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.builtin.UsersFileException;
import dev.portcullis.proxy.digest.Sha256;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in provider's users file ({@code builtin_users_file}), kept current: read once when the
 * configuration is applied (a malformed file refuses start-up), then checked every
 * {@link #INTERVAL} on a daemon thread. A file whose content changed is read again and, when it is
 * well-formed, replaces the users at once; a malformed one is refused with a warning naming the
 * file and line, and the last good users stay. The content's SHA-256 tells a change, so a rewrite
 * within the file system's timestamp granularity is not missed; users files are small.
 *
 * <p>The thread ends with {@link #close()}, or by itself once nothing holds this watch any more
 * (a configuration reload builds a new one).
 *
 * <p>A comment line {@code # demo password: …} in the file marks it as a demonstration (the
 * quickstart's); its password is then printed at start-up with a warning, since it is public.
 */
final class UsersFileWatch implements Supplier<UsersFile>, AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Pattern DEMO_PASSWORD =
            Pattern.compile("(?im)^#\\s*demo password:\\s*(\\S(?:.*\\S)?)\\s*$");
    private static final Logger log = LoggerFactory.getLogger(UsersFileWatch.class);

    private final Path file;
    private final ScheduledExecutorService checks;
    private volatile UsersFile users;
    private byte[] lastSeen;

    private UsersFileWatch(Path file, UsersFile users, byte[] digest, Duration interval) {
        this.file = file;
        this.users = users;
        this.lastSeen = digest;
        this.checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "users-file-watch");
            thread.setDaemon(true);
            return thread;
        });
        WeakReference<UsersFileWatch> self = new WeakReference<>(this);
        ScheduledExecutorService executor = checks;
        checks.scheduleWithFixedDelay(() -> {
            UsersFileWatch watch = self.get();
            if (watch == null) {
                executor.shutdown();
            } else {
                watch.check();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads {@code file} and starts watching it every {@link #INTERVAL}.
     *
     * @throws IllegalArgumentException naming the file and the line when it cannot be read or is malformed
     */
    static UsersFileWatch start(Path file) {
        return start(file, INTERVAL);
    }

    static UsersFileWatch start(Path file, Duration interval) {
        requireNonNull(file, "file");
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("builtin_users_file: " + file + " cannot be read: " + describe(e), e);
        }
        UsersFile users;
        try {
            users = parse(content, file);
        } catch (UsersFileException e) {
            throw new IllegalArgumentException("builtin_users_file: " + e.getMessage(), e);
        }
        String text = new String(content, StandardCharsets.UTF_8);
        log.info("built-in sign-in: {} users from {}", users.users().size(), file);
        if (users.users().isEmpty()) {
            log.warn("built-in sign-in: {} lists no users, so nobody can sign in; add one with"
                    + " \"portcullis users add EMAIL --users-file {}\"", file, file);
        }
        demoPassword(text).ifPresent(password -> log.warn("DEMO USERS FILE {}: sign in as {} with the password \"{}\"."
                + " This password is published with Portcullis: use this file only to try Portcullis on this machine,"
                + " never on a network.", file, users.users().isEmpty() ? "(nobody)" : users.users().get(0).email(),
                password));
        return new UsersFileWatch(file, users, Sha256.of(content), interval);
    }

    /** The users of the last well-formed file. */
    @Override
    public UsersFile get() {
        return users;
    }

    /** The watched file. */
    Path file() {
        return file;
    }

    /** Reads the file again if its content changed; called on the watch thread (and by tests). */
    synchronized void check() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            if (lastSeen != null) {
                log.warn("built-in sign-in: {} cannot be read ({}); the last good users stay", file, describe(e));
                lastSeen = null;
            }
            return;
        }
        byte[] digest = Sha256.of(content);
        if (Arrays.equals(digest, lastSeen)) {
            return;
        }
        lastSeen = digest;
        try {
            users = parse(content, file);
            log.info("built-in sign-in: {} read again, {} users", file, users.users().size());
        } catch (UsersFileException e) {
            log.warn("built-in sign-in: the changed users file is refused, the last good users stay: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }

    /** The password of a {@code # demo password: …} comment line, when the file has one. */
    static Optional<String> demoPassword(String text) {
        Matcher matcher = DEMO_PASSWORD.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static UsersFile parse(byte[] content, Path file) throws UsersFileException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return UsersFile.read(file); // reports "not UTF-8 text" in the file's own words
        }
        return UsersFile.parse(text, file.toString());
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
