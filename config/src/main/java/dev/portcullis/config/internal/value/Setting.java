package dev.portcullis.config.internal.value;

import static java.util.Objects.requireNonNull;

/**
 * A value as written, before it is read as a type: text from the environment, or what YAML made of it
 * (a map, a list, text, a number, a boolean).
 *
 * @param at    where it was set
 * @param value never null: an empty YAML value counts as not set
 */
public record Setting(ConfigPath at, Object value) {
    public Setting {
        requireNonNull(at, "at");
        requireNonNull(value, "value");
    }

    /** Whether the value came from an environment variable. */
    public boolean fromEnvironment() {
        return at.environmentVariable().isPresent();
    }
}
