package dev.portcullis.config.internal.value;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files one load read or tried to read, in order, each once: what a reload watcher polls. A path is
 * kept as the configuration wrote it, made absolute but not resolved through symbolic links, so that a
 * watcher polling it sees a link repointed (Kubernetes secrets, {@code certbot} {@code live/} links). A
 * file that was named but missing is kept too, so that its appearance is noticed.
 */
public final class FilesRead {

    private final Set<Path> paths = new LinkedHashSet<>();

    /** Records the file {@code pathText} names; text that is no path at all names nothing to watch. */
    public void add(String pathText) {
        try {
            add(Path.of(pathText));
        } catch (InvalidPathException notAPath) {
            // reported by the reader that tried to use it; there is nothing a watcher could poll
        }
    }

    /** Records {@code path}. */
    public void add(Path path) {
        paths.add(path.toAbsolutePath());
    }

    /** Every file recorded, in the order first recorded. */
    public List<Path> paths() {
        return List.copyOf(paths);
    }
}
