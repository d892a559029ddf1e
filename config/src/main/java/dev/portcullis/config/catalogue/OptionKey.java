package dev.portcullis.config.catalogue;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One known configuration key.
 *
 * @param key          the YAML key; nested keys as {@code section.key}, keys of list items as
 *                     {@code list[].key} ({@code downstream_mtls.ca}, {@code certificates[].cert})
 * @param scope        top level or inside a route
 * @param kind         the shape of the value
 * @param defaultValue the default, as the reference documentation shows it ({@code —} for none)
 * @param status       implemented, or accepted without effect yet
 * @param meaning      one line on what it does
 * @param choices      the accepted words when {@code kind} is {@link ValueKind#CHOICE}, else empty
 */
public record OptionKey(
        String key,
        OptionScope scope,
        ValueKind kind,
        String defaultValue,
        OptionStatus status,
        String meaning,
        List<String> choices) {

    public OptionKey {
        requireNonNull(key, "key");
        requireNonNull(scope, "scope");
        requireNonNull(kind, "kind");
        requireNonNull(defaultValue, "defaultValue");
        requireNonNull(status, "status");
        requireNonNull(meaning, "meaning");
        choices = List.copyOf(choices);
        if ((kind == ValueKind.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException(key + ": choices go with kind CHOICE, and only with it");
        }
    }

    /** This key, accepting only these words. */
    public OptionKey withChoices(String... words) {
        return new OptionKey(key, scope, ValueKind.CHOICE, defaultValue, status, meaning, List.of(words));
    }

    /**
     * The environment variable that sets this key: the key in upper case, nested keys joined with
     * {@code _} ({@code downstream_mtls.ca} → {@code DOWNSTREAM_MTLS_CA}). Route keys, sections and
     * keys of list items have none.
     */
    public Optional<String> environmentVariable() {
        if (scope != OptionScope.TOP_LEVEL || kind == ValueKind.SECTION || key.contains("[]")) {
            return Optional.empty();
        }
        return Optional.of(key.toUpperCase(Locale.ROOT).replace('.', '_'));
    }

    /** The part before the last {@code .}: the enclosing section, or empty for a key at its scope's top. */
    public String parent() {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** The part after the last {@code .}: the key as written inside its section. */
    public String name() {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
