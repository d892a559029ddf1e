package dev.portcullis.proxy.reload;

import dev.portcullis.proxy.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a watched file is now: the file it resolves to through any symlinks, and a digest of its
 * content. Comparing fingerprints sees a rewrite in place (even within the file system's
 * timestamp granularity), a file replaced by a rename, a symlink repointed, and a directory of
 * symlinks swapped as Kubernetes does with its {@code ..data} link. Configuration files and
 * certificates are small, so reading them is cheap.
 *
 * @param path     the path as the configuration names it
 * @param resolved where it leads now; empty when it does not exist or cannot be read
 * @param sha256   the content's digest, hex; empty likewise
 */
record FileFingerprint(Path path, Optional<Path> resolved, Optional<String> sha256) {

    /** Reads {@code path} now. Never throws: a file that cannot be read is a fingerprint too. */
    static FileFingerprint of(Path path) {
        try {
            Path resolved = path.toRealPath();
            byte[] content = Files.readAllBytes(resolved);
            return new FileFingerprint(path, Optional.of(resolved), Optional.of(HexFormat.of().formatHex(Sha256.of(content))));
        } catch (IOException | SecurityException e) {
            return new FileFingerprint(path, Optional.empty(), Optional.empty());
        }
    }
}
