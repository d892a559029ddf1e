package dev.portcullis.config.internal.options;

import dev.portcullis.config.Options.Secrets;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.MaterialReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code cookie_secret} and {@code shared_secret} (or their {@code *_file} variants). Both are
 * required: unlike Pomerium, which then makes up random ones (logging everyone out on each restart and
 * breaking replicas), start-up is refused with a message that shows how to make one.
 */
final class SecretsReader {

    private final ValueReaders readers;
    private final AlternativeKeys alternatives;

    SecretsReader(ValueReaders readers) {
        this.readers = readers;
        this.alternatives = new AlternativeKeys(readers.diagnostics());
    }

    Optional<Secrets> read(SettingMap top) {
        Optional<byte[]> cookie = secret(top, "cookie_secret");
        Optional<byte[]> shared = secret(top, "shared_secret");
        if (cookie.isEmpty() || shared.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Secrets(cookie.get(), shared.get()));
    }

    private Optional<byte[]> secret(SettingMap top, String key) {
        String fileKey = key + "_file";
        Optional<Setting> setting = alternatives.choose(top, key, fileKey);
        if (setting.isEmpty()) {
            if (!top.has(key) && !top.has(fileKey)) {
                readers.diagnostics().problem(ConfigPath.of(key), "is required: " + MaterialReader.HOW_TO_GENERATE
                        + ", and set it as " + key.toUpperCase(Locale.ROOT) + " (or " + fileKey.toUpperCase(Locale.ROOT)
                        + " naming a file that holds it)");
            }
            return Optional.empty();
        }
        Setting s = setting.get();
        return s.at().path().equals(key) ? readers.materials().secret(s) : readers.materials().secretFile(s);
    }
}
