package dev.portcullis.config.internal.value;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The settings of one YAML map (a route, a section, the merged top level), keyed as written. */
public final class SettingMap {

    private final ConfigPath at;
    private final Map<String, Setting> settings;

    /** @param settings in the order written; keys of nested sections may be dotted */
    public SettingMap(ConfigPath at, Map<String, Setting> settings) {
        this.at = requireNonNull(at, "at");
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The entries of a parsed YAML map; keys become text, empty values count as not set. */
    public static SettingMap ofYaml(ConfigPath at, Map<?, ?> yaml) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        yaml.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (value != null) {
                settings.put(name, new Setting(at.key(name), value));
            }
        });
        return new SettingMap(at, settings);
    }

    /** Where this map is. */
    public ConfigPath at() {
        return at;
    }

    /** The setting of {@code key}, when set. */
    public Optional<Setting> get(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** Whether {@code key} is set. */
    public boolean has(String key) {
        return settings.containsKey(key);
    }

    /** The keys set, in order. */
    public Set<String> keys() {
        return settings.keySet();
    }
}
