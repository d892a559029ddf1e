package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

/**
 * A users file that cannot be read or is malformed. The message names the file and, when known,
 * the line and the YAML path: {@code users.yaml:7: users[2].email: missing}. It never holds a
 * password hash or TOTP secret.
 */
public final class UsersFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    /**
     * @param source the file's name as the user gave it
     * @param line   the 1-based line, or 0 when the problem has none (the file cannot be read)
     */
    UsersFileException(String source, int line, String problem) {
        super(requireNonNull(source, "source") + (line > 0 ? ":" + line : "") + ": " + requireNonNull(problem, "problem"),
                null, false, false);
        this.source = source;
        this.line = line;
    }

    /** The file's name as given to {@link UsersFile#read} or {@link UsersFile#parse}. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, or 0 when it has none. */
    public int line() {
        return line;
    }
}
