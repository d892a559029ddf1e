package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.internal.options.OptionsReader;
import dev.portcullis.config.internal.source.ConfigFileReader;
import dev.portcullis.config.internal.source.TopLevelSettings;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.FilesRead;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and validates the configuration: the YAML file (optional, may be empty) merged with the
 * environment, which wins. Every option has an environment variable named as its key in upper case,
 * nested keys joined with {@code _}; variables not named after a known key are ignored.
 *
 * <p>Everything is validated before anything listens, and every problem is reported at once, each
 * naming where it was set and the bad value. A file that is not valid YAML is reported alone: what
 * would follow from ignoring it (missing secrets, …) would only mislead.
 *
 * <p>Reads files (the configuration, certificates, secrets), so call it off the event loop. The files it
 * read are listed in {@link LoadedConfig#watchedFiles()} for a watcher that reloads when they change.
 */
public final class ConfigLoader {

    private final Map<String, String> environment;
    private final SigningKeyCheck signingKeyCheck;
    private final boolean keepsGeneratedSecrets;

    /**
     * A loader that checks {@code signing_key} only for holding a private key and writes nothing: a secret
     * that is not set is only checked to be one that could be generated.
     *
     * @param environment the process environment ({@link System#getenv()} in production)
     */
    public ConfigLoader(Map<String, String> environment) {
        this(environment, SigningKeyCheck.PEM_ONLY, false);
    }

    private ConfigLoader(Map<String, String> environment, SigningKeyCheck signingKeyCheck, boolean keepsGeneratedSecrets) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment"));
        this.signingKeyCheck = requireNonNull(signingKeyCheck, "signingKeyCheck");
        this.keepsGeneratedSecrets = keepsGeneratedSecrets;
    }

    /** This loader, with {@code signing_key} judged by {@code check} (the signer's own parser). */
    public ConfigLoader checkingSigningKeysWith(SigningKeyCheck check) {
        return new ConfigLoader(environment, check, keepsGeneratedSecrets);
    }

    /**
     * This loader, generating a {@code cookie_secret} or {@code shared_secret} that is not set and keeping it in
     * the data directory ({@code data_dir}, {@code /data} in the image) for later starts: what {@code serve}
     * does. Without it a load never writes.
     */
    public ConfigLoader keepingGeneratedSecrets() {
        return new ConfigLoader(environment, signingKeyCheck, true);
    }

    /**
     * Loads a complete, validated snapshot.
     *
     * @param configFile the {@code --config} file, when given: it must exist, and may be empty
     * @throws ConfigException with every problem found
     */
    public LoadedConfig load(Optional<Path> configFile) throws ConfigException {
        requireNonNull(configFile, "configFile");
        Diagnostics diagnostics = new Diagnostics();
        FilesRead filesRead = new FilesRead();
        configFile.ifPresent(filesRead::add);
        Optional<Map<?, ?>> file = new ConfigFileReader(diagnostics).read(configFile);
        if (file.isEmpty()) {
            throw new ConfigException(diagnostics.problems(), filesRead.paths());
        }
        SettingMap top = new TopLevelSettings(diagnostics).merge(file.get(), environment);
        Optional<Options> options = new OptionsReader(ValueReaders.reportingTo(diagnostics, filesRead), environment,
                signingKeyCheck, keepsGeneratedSecrets).read(top);
        if (options.isEmpty() || diagnostics.problemCount() > 0) {
            throw new ConfigException(diagnostics.problems(), filesRead.paths());
        }
        return new LoadedConfig(options.get(), filesRead.paths(), diagnostics.warnings());
    }
}
