package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.file.LockedFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
    /** The users by {@link BuiltinUser#normalizedEmail()}: {@link #find} is asked at every signed-in request. */
    private final Map<String, BuiltinUser> byEmail;

    UsersFile(List<String> header, List<BuiltinUser> users) {
        this.header = List.copyOf(header);
        this.users = List.copyOf(users);
        Map<String, BuiltinUser> index = new HashMap<>();
        this.users.forEach(user -> index.putIfAbsent(user.normalizedEmail(), user));
        this.byEmail = Map.copyOf(index);
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
        return Optional.ofNullable(byEmail.get(BuiltinUser.normalize(email)));
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
     * Writes this file to {@code file} atomically, replacing whatever it holds: a temporary file in the same
     * directory (owner read and write only, where the file system has POSIX permissions), flushed to disk, then
     * moved over {@code file}, so a reader sees the old or the new file, never a part. A symbolic link is
     * followed, so the file it points to is replaced, not the link. To change the file, use {@link #update}.
     */
    public void write(Path file) throws IOException {
        requireNonNull(file, "file");
        String yaml = toYaml();
        new LockedFile(file).update(current -> Optional.of(yaml));
    }

    /**
     * Changes the users file {@code file} without losing a change made meanwhile by another writer (the proxy
     * accepting an invitation, another {@code portcullis users}): under {@link LockedFile}'s lock, reads the file
     * as it is now (an absent file is {@link #empty()}), applies {@code change} and writes the result atomically
     * (0600), unless it is the same file. A change that must not apply throws out of {@code change}: the
     * exception reaches the caller and nothing is written.
     *
     * @return the file as written (or as it was, when {@code change} left it alone)
     * @throws UsersFileException when the file is malformed or cannot be read (it is then left alone)
     * @throws IOException        when the file cannot be written
     */
    public static UsersFile update(Path file, UnaryOperator<UsersFile> change) throws IOException, UsersFileException {
        requireNonNull(file, "file");
        requireNonNull(change, "change");
        UsersFile[] after = {null};
        UsersFileException[] malformed = {null};
        try {
            new LockedFile(file).update(text -> {
                UsersFile before;
                try {
                    before = text.isEmpty() ? empty() : parse(text.get(), file.toString());
                } catch (UsersFileException e) {
                    malformed[0] = e;
                    return Optional.empty();
                }
                after[0] = requireNonNull(change.apply(before), "change result");
                String yaml = after[0].toYaml();
                return after[0] == before || text.filter(yaml::equals).isPresent() ? Optional.empty() : Optional.of(yaml);
            });
        } catch (CharacterCodingException e) {
            throw new UsersFileException(file.toString(), 0, "not UTF-8 text");
        }
        if (malformed[0] != null) {
            throw malformed[0];
        }
        return after[0];
    }

    /**
     * A file of another kind kept beside the users file, named after it: {@code users.yaml} with
     * {@code "passkeys.json"} is {@code users.passkeys.json} in the same directory.
     */
    public static Path besideUsersFile(Path usersFile, String suffix) {
        requireNonNull(usersFile, "usersFile");
        requireNonNull(suffix, "suffix");
        String name = usersFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return usersFile.resolveSibling(base + "." + suffix);
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
            user.passwordHash().ifPresent(hash -> yaml.append("    password: ").append(scalar(hash, false)).append('\n'));
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
