package dev.portcullis.config.internal.source;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.UnreadableFile;
import dev.portcullis.config.internal.value.ValueText;
import dev.portcullis.config.internal.yaml.SafeYaml;
import dev.portcullis.config.internal.yaml.YamlSyntaxException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code --config} file. An empty file is an empty configuration: everything may come from
 * the environment. A file that does not exist is an empty configuration too, as in Pomerium's image
 * ("may be empty or absent"), but with a warning naming it, since a misspelt path would
 * otherwise silently start a proxy configured by the environment alone. Without {@code --config}
 * there is no file.
 */
public final class ConfigFileReader {

    private final Diagnostics diagnostics;

    public ConfigFileReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * The top-level map of the file, empty when there is no file; empty {@link Optional} when the file
     * cannot be used (unreadable, not YAML, not a map), after reporting why.
     */
    public Optional<Map<?, ?>> read(Optional<Path> file) {
        if (file.isEmpty()) {
            return Optional.of(Map.of());
        }
        Path path = file.get();
        String where = path.toString();
        if (Files.notExists(path)) {
            diagnostics.warning(where + ": the --config file does not exist, so only the environment configures the"
                    + " proxy (check the path; the file is watched and read as soon as it appears)");
            return Optional.of(Map.of());
        }
        try {
            Object top = SafeYaml.parse(Files.readString(path, UTF_8));
            if (top == null) {
                return Optional.of(Map.of());
            }
            if (top instanceof Map<?, ?> map) {
                return Optional.of(map);
            }
            diagnostics.problem(where, "expected a map of options at the top level, found " + ValueText.describe(top));
        } catch (YamlSyntaxException e) {
            diagnostics.problem(where, "not valid YAML at " + e.getMessage());
        } catch (AccessDeniedException e) {
            diagnostics.problem(where, UnreadableFile.cannotBeRead(where));
        } catch (IOException e) {
            diagnostics.problem(where, "cannot be read: " + e);
        }
        return Optional.empty();
    }
}
