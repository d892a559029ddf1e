package dev.portcullis.config.internal.options;

import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where Portcullis keeps what it makes itself (the generated secrets): {@code data_dir} ({@code DATA_DIR}),
 * which the image sets to {@code /data}; elsewhere {@code $XDG_STATE_HOME/portcullis}, or
 * {@code $HOME/.local/state/portcullis} (the XDG Base Directory default); none when not even {@code HOME}
 * is set.
 */
final class DataDirectory {

    private DataDirectory() {}

    static Optional<Path> of(SettingMap top, Map<String, String> environment, ValueReaders readers) {
        Optional<Setting> set = top.get("data_dir");
        if (set.isPresent()) {
            return set.flatMap(readers.scalars()::text).map(String::strip).flatMap(text -> {
                if (text.isEmpty() || !Path.of(text).isAbsolute()) {
                    readers.diagnostics().problem(set.get().at(), "\"" + text + "\" is not an absolute path (expected"
                            + " a directory, e.g. /data)");
                    return Optional.empty();
                }
                return Optional.of(Path.of(text));
            });
        }
        try {
            return variable(environment, "XDG_STATE_HOME").map(dir -> Path.of(dir, "portcullis"))
                    .or(() -> variable(environment, "HOME").map(home -> Path.of(home, ".local", "state", "portcullis")));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> variable(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> v.startsWith("/"));
    }
}
