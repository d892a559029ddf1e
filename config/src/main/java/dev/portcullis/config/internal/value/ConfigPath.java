package dev.portcullis.config.internal.value;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where a value was set: its YAML path and, when it came from the environment, the variable.
 *
 * @param path                {@code routes[2].to}, {@code downstream_mtls.ca}
 * @param environmentVariable the variable the value (or the enclosing route list) came from
 */
public record ConfigPath(String path, Optional<String> environmentVariable) {

    public ConfigPath {
        requireNonNull(path, "path");
        requireNonNull(environmentVariable, "environmentVariable");
    }

    /** A key of the configuration file. */
    public static ConfigPath of(String key) {
        return new ConfigPath(key, Optional.empty());
    }

    /** A key set through the environment variable {@code variable}. */
    public static ConfigPath fromEnvironment(String variable, String key) {
        return new ConfigPath(key, Optional.of(variable));
    }

    /** The value of {@code key} inside this map. */
    public ConfigPath key(String key) {
        return new ConfigPath(path.isEmpty() ? key : path + "." + key, environmentVariable);
    }

    /** The {@code i}-th entry of this list. */
    public ConfigPath index(int i) {
        return new ConfigPath(path + "[" + i + "]", environmentVariable);
    }

    /** {@code routes[2].to}, or {@code POLICY (policy[0].to)} for a value from the environment. */
    @Override
    public String toString() {
        return environmentVariable.map(v -> v + " (" + path + ")").orElse(path);
    }
}
