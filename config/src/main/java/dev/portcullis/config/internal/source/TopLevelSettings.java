package dev.portcullis.config.internal.source;

import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionKey;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.catalogue.ValueKind;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueText;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the file's top-level map and the environment into one {@link SettingMap} of known keys.
 * Sections ({@code downstream_mtls:}) are flattened to dotted keys ({@code downstream_mtls.ca}). Only
 * environment variables named after a catalogue key are read ({@code DOWNSTREAM_MTLS_CA}); a variable
 * that is set but empty counts as unset. The environment wins over the file. File keys are read without
 * regard to case, as Pomerium (viper) reads them.
 */
public final class TopLevelSettings {

    private final Diagnostics diagnostics;
    private final UnknownKeys unknownKeys;

    public TopLevelSettings(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.unknownKeys = new UnknownKeys(diagnostics);
    }

    /** The merged settings; unknown file keys are warned about and left out. */
    public SettingMap merge(Map<?, ?> file, Map<String, String> environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        file.forEach((k, value) -> addFromFile(settings, String.valueOf(k).toLowerCase(Locale.ROOT), value));
        for (OptionKey key : OptionCatalogue.all()) {
            key.environmentVariable().ifPresent(variable -> {
                String value = environment.get(variable);
                if (value != null && !value.isBlank()) {
                    settings.put(key.key(), new Setting(ConfigPath.fromEnvironment(variable, key.key()), value));
                }
            });
        }
        return new SettingMap(ConfigPath.of(""), settings);
    }

    private void addFromFile(Map<String, Setting> settings, String key, Object value) {
        ConfigPath at = ConfigPath.of(key);
        if (value == null || !unknownKeys.check(OptionScope.TOP_LEVEL, "", ConfigPath.of(""), key)) {
            return;
        }
        boolean section = OptionCatalogue.find(OptionScope.TOP_LEVEL, key).orElseThrow().kind() == ValueKind.SECTION;
        if (!section) {
            settings.put(key, new Setting(at, value));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((child, childValue) -> {
                String name = String.valueOf(child).toLowerCase(Locale.ROOT);
                if (childValue != null && unknownKeys.check(OptionScope.TOP_LEVEL, key, at, name)) {
                    settings.put(key + "." + name, new Setting(at.key(name), childValue));
                }
            });
        } else {
            diagnostics.problem(at, "expected a map, found " + ValueText.describe(value));
        }
    }
}
