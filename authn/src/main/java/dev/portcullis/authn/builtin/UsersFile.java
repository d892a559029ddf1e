package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in users file: an immutable list of {@link BuiltinUser}s plus the comment lines at the top
 * of the file, which {@link #write} keeps. The format is described in the
 * {@linkplain dev.portcullis.authn.builtin package documentation}; {@link UsersFileReader} reads it.
 * Emails are unique and compared case-insensitively. Comments other than the header are not kept by
 * {@link #write}.
 */
public final class UsersFile {

    /** The header of a file this class creates. */
    static final List<String> DEFAULT_HEADER =
            List.of("# Portcullis built-in users. Manage with: portcullis users add|list|remove|passwd");

    private static final Pattern PLAIN = Pattern.compile("[\\p{L}\\p{N}_@.$=+/(]([\\p{L}\\p{N}_@.$=+/()' ,-]*[\\p{L}\\p{N}_@.$=+/()'-])?");

    private final List<String> header;
    private final List<BuiltinUser> users;

    UsersFile(List<String> header, List<BuiltinUser> users) {
        this.header = List.copyOf(header);
        this.users = List.copyOf(users);
    }

    /** A file with no users and the default header. */
    public static UsersFile empty() {
        return new UsersFile(DEFAULT_HEADER, List.of());
    }

    /**
     * Reads and checks {@code file} (UTF-8).
     *
     * @throws UsersFileException naming the file, and the line and YAML path of the first problem
     */
    public static UsersFile read(Path file) throws UsersFileException {
        requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsersFileException(file.toString(), 0, "no such file");
        } catch (CharacterCodingException e) {
            throw new UsersFileException(file.toString(), 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new UsersFileException(file.toString(), 0, "cannot read: " + e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and checks the YAML {@code yaml}.
     *
     * @param sourceName the name that error messages start with, normally the file's path
     * @throws UsersFileException naming {@code sourceName}, and the line and YAML path of the first problem
     */
    public static UsersFile parse(String yaml, String sourceName) throws UsersFileException {
        requireNonNull(yaml, "yaml");
        requireNonNull(sourceName, "sourceName");
        return new UsersFileReader(sourceName).read(yaml);
    }

    /** The user with this email, compared case-insensitively. */
    public Optional<BuiltinUser> find(String email) {
        requireNonNull(email, "email");
        String wanted = BuiltinUser.normalize(email);
        return users.stream().filter(user -> user.normalizedEmail().equals(wanted)).findFirst();
    }

    /** The users in file order. */
    public List<BuiltinUser> users() {
        return users;
    }

    /** This file with {@code user} added at the end, or replacing the user with the same email in place. */
    public UsersFile with(BuiltinUser user) {
        requireNonNull(user, "user");
        List<BuiltinUser> changed = new ArrayList<>(users);
        int index = indexOf(user.email());
        if (index >= 0) {
            changed.set(index, user);
        } else {
            changed.add(user);
        }
        return new UsersFile(header, changed);
    }

    /** This file without the user with {@code email} (compared case-insensitively); the same file when absent. */
    public UsersFile without(String email) {
        requireNonNull(email, "email");
        int index = indexOf(email);
        if (index < 0) {
            return this;
        }
        List<BuiltinUser> changed = new ArrayList<>(users);
        changed.remove(index);
        return new UsersFile(header, changed);
    }

    /**
     * Writes this file to {@code file} atomically: a temporary file in the same directory (owner read and
     * write only, where the file system has POSIX permissions), flushed to disk, then moved over
     * {@code file}, so a reader sees the old or the new file, never a part. A symbolic link is followed,
     * so the file it points to is replaced, not the link.
     */
    public void write(Path file) throws IOException {
        requireNonNull(file, "file");
        Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
        Path directory = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        Path temporary = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(directory, prefix, ".tmp", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, prefix, ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(toYaml().getBytes(StandardCharsets.UTF_8));
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

    /** The file's text: the header, then {@code users:} with one block per user. */
    String toYaml() {
        StringBuilder yaml = new StringBuilder();
        header.forEach(line -> yaml.append(line).append('\n'));
        if (users.isEmpty()) {
            return yaml.append("users: []\n").toString();
        }
        yaml.append("users:\n");
        for (BuiltinUser user : users) {
            yaml.append("  - email: ").append(scalar(user.email(), false)).append('\n');
            if (!user.name().isEmpty()) {
                yaml.append("    name: ").append(scalar(user.name(), false)).append('\n');
            }
            if (!user.groups().isEmpty()) {
                yaml.append("    groups: [")
                        .append(user.groups().stream().map(group -> scalar(group, true)).collect(Collectors.joining(", ")))
                        .append("]\n");
            }
            yaml.append("    password: ").append(scalar(user.passwordHash(), false)).append('\n');
            user.totpSecret().ifPresent(secret -> yaml.append("    totp: ").append(scalar(secret, false)).append('\n'));
        }
        return yaml.toString();
    }

    private int indexOf(String email) {
        String wanted = BuiltinUser.normalize(email);
        for (int i = 0; i < users.size(); i++) {
            if (users.get(i).normalizedEmail().equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code value} plain when YAML reads it back as the same string, else double-quoted. */
    private static String scalar(String value, boolean inFlow) {
        boolean plain = PLAIN.matcher(value).matches() && !(inFlow && value.contains(","))
                && UsersFileReader.readsAsString(value);
        return plain ? value : doubleQuoted(value);
    }

    private static String doubleQuoted(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    @Override
    public String toString() {
        return "UsersFile[" + users.size() + " users]";
    }
}
