package dev.portcullis.config.internal.value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The one wording of "this process may not read that file", for every setting that names a file
 * (a {@code *_file} secret, a certificate or key, the {@code --config} file, the users file).
 *
 * <p>On a NAS this is usually a root-owned {@code 0600} file mounted into a container that runs as
 * uid 65532, so the sentence names the user the process runs as and the two ways out: give that
 * user read access, or run the process as a user that already has it.
 */
public final class UnreadableFile {
    private UnreadableFile() {}

    /**
     * What follows the file's name in a problem, e.g. {@code cannot be read by user 65532 (permission
     * denied): give that user read access ("chown 65532 F" or, for a file that holds no secret, "chmod
     * 0644 F") or run Portcullis as a user that can read it (docker run --user)}. One sentence, with no
     * full stop, as every problem is.
     */
    public static String cannotBeRead(String pathText) {
        return cannotBeRead(pathText, processUid());
    }

    /** {@link #cannotBeRead(String)} for the process running as {@code uid}, when known. */
    static String cannotBeRead(String pathText, OptionalLong uid) {
        String user = uid.isPresent() ? "user " + uid.getAsLong() : "the user this process runs as";
        String owner = uid.isPresent() ? Long.toString(uid.getAsLong()) : "UID";
        String file = shellWord(pathText);
        return "cannot be read by " + user + " (permission denied): give that user read access (\"chown " + owner
                + " " + file + "\" or, for a file that holds no secret, \"chmod 0644 " + file + "\") or run Portcullis"
                + " as a user that can read it (docker run --user)";
    }

    /** The real uid of this process: the owner of {@code /proc/self} on Linux; empty elsewhere. */
    private static OptionalLong processUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer number ? OptionalLong.of(number) : OptionalLong.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return OptionalLong.empty();
        }
    }

    /** The path as one word for a POSIX shell: as is when it is plain, else in single quotes. */
    private static String shellWord(String pathText) {
        if (pathText.matches("[A-Za-z0-9_./+:@%=,-]+")) {
            return pathText;
        }
        return "'" + pathText.replace("'", "'\\''") + "'";
    }
}
