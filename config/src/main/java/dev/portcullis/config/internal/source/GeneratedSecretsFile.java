package dev.portcullis.config.internal.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.internal.value.Base64Text;
import dev.portcullis.config.internal.yaml.SafeYaml;
import dev.portcullis.config.internal.yaml.YamlSyntaxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file in the data directory that keeps the {@code cookie_secret} and {@code shared_secret} Portcullis
 * generated because none were set ({@value #NAME}). It is read at every start, so sessions survive a
 * restart, and created once: atomically and private from its first byte (a temporary file created with mode
 * 0600 in the same directory, written and synced, then linked into place, so no reader ever sees half a file,
 * it is never readable by others even briefly, and of two processes starting together the second reads what
 * the first wrote). The secrets are 32 random bytes in base64, as {@code portcullis gen-secret} and
 * Pomerium's {@code gen-secret} make them; they are never logged.
 */
public final class GeneratedSecretsFile {

    /** The file's name in the data directory. */
    public static final String NAME = "secrets.yaml";
    private static final int SECRET_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** The two secrets; {@link #toString()} hides them. */
    public record Secrets(byte[] cookieSecret, byte[] sharedSecret) {
        @Override
        public String toString() {
            return "GeneratedSecretsFile.Secrets[hidden]";
        }
    }

    /** The file exists but does not hold two secrets of 32 bytes in base64. */
    public static final class DamagedException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedException(String message) {
            super(message, null, false, false);
        }
    }

    private final Path file;

    public GeneratedSecretsFile(Path dataDirectory) {
        this.file = dataDirectory.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Whether only its owner may read the file (false also when that cannot be told). */
    public boolean isPrivate() {
        try {
            return Files.getPosixFilePermissions(file).stream().allMatch(p -> p.name().startsWith("OWNER_"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The secrets in the file. */
    public Secrets read() throws IOException, DamagedException {
        String text = Files.readString(file, UTF_8);
        Object yaml;
        try {
            yaml = SafeYaml.parse(text);
        } catch (YamlSyntaxException e) {
            throw new DamagedException("is not YAML");
        }
        if (!(yaml instanceof Map<?, ?> map)) {
            throw new DamagedException("does not hold cookie_secret and shared_secret");
        }
        return new Secrets(secret(map, "cookie_secret"), secret(map, "shared_secret"));
    }

    private static byte[] secret(Map<?, ?> map, String key) throws DamagedException {
        Optional<byte[]> bytes = map.get(key) instanceof String text ? Base64Text.decode(text) : Optional.empty();
        if (bytes.isEmpty() || bytes.get().length != SECRET_BYTES) {
            throw new DamagedException("holds no valid " + key + " (expected " + SECRET_BYTES + " bytes in base64)");
        }
        return bytes.get();
    }

    /**
     * Creates the file with two new secrets, the data directory too (mode 0700) when missing; when another
     * process created the file first, reads that one instead.
     */
    public Secrets create(SecureRandom random) throws IOException, DamagedException {
        Secrets secrets = new Secrets(newSecret(random), newSecret(random));
        Path directory = file.getParent();
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            Path temporary = Files.createTempFile(directory, "." + NAME + "-", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(text(secrets).getBytes(UTF_8)));
                    channel.force(true);
                }
                return linkIntoPlace(temporary) ? secrets : read();
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (UnsupportedOperationException e) {
            throw new IOException("its file system cannot keep a file private (no POSIX permissions)");
        }
    }

    /** Whether the file was put in place; false when another process's file was already there. */
    private boolean linkIntoPlace(Path temporary) throws IOException {
        try {
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(file)) {
                return false;
            }
            // A file system without hard links (some network shares): a rename is atomic too.
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    /**
     * Why the file could not be created, checked without writing anything (for {@code validate}): empty when
     * its directory, or the nearest existing parent of it, is a writable directory.
     */
    public Optional<String> whyNotCreatable() {
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return Optional.of((existing == null ? file.getParent() : existing) + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            return Optional.of(existing + " is not writable by user " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    private static byte[] newSecret(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    private static String text(Secrets secrets) {
        Base64.Encoder base64 = Base64.getEncoder();
        return """
                # Generated by Portcullis because cookie_secret and shared_secret were not set; read at every start,
                # so sessions survive a restart. Keep this file private (mode 0600). To set the secrets yourself,
                # copy these values into COOKIE_SECRET and SHARED_SECRET (or config.yaml); replicas need the same ones.
                cookie_secret: %s
                shared_secret: %s
                """.formatted(base64.encodeToString(secrets.cookieSecret()), base64.encodeToString(secrets.sharedSecret()));
    }
}
