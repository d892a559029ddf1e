package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * A configuration that passed validation, and what is worth telling the operator about it.
 *
 * @param options      the validated snapshot
 * @param watchedFiles every file the load read or tried to read, in order, each once: the {@code --config} file
 *                     (when given), then certificates, keys, CAs, CRLs, secrets given by path, the Traefik
 *                     {@code acme.json} and {@code autocert_trusted_ca_file}. Paths are absolute but not resolved
 *                     through symbolic links (a watcher polling them notices a link repointed); files that were
 *                     named but missing are listed too, so that their appearance is noticed. Not the
 *                     {@code builtin_users_file}, which the proxy watches on its own.
 * @param warnings     human sentences to log at start-up: unknown keys (with a suggestion when one is close),
 *                     route options accepted but not yet implemented, …
 */
public record LoadedConfig(Options options, List<Path> watchedFiles, List<String> warnings) {
    public LoadedConfig {
        requireNonNull(options, "options");
        watchedFiles = List.copyOf(watchedFiles);
        warnings = List.copyOf(warnings);
    }
}
