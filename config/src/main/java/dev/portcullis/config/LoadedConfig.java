package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A configuration that passed validation, and what is worth telling the operator about it.
 *
 * @param options  the validated snapshot
 * @param warnings human sentences to log at start-up: unknown keys (with a suggestion when one is close),
 *                 route options accepted but not yet implemented, …
 */
public record LoadedConfig(Options options, List<String> warnings) {
    public LoadedConfig {
        requireNonNull(options, "options");
        warnings = List.copyOf(warnings);
    }
}
