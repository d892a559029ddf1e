package dev.portcullis.config.internal.value;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.yaml.SafeYaml;
import dev.portcullis.config.internal.yaml.YamlSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads lists and maps. In YAML they are written as such; as text (from the environment, or a string in
 * YAML) a list is comma-separated ({@code openid,email}) and a map is {@code K:V,K2:V2} (or
 * {@code K=V}); either may also be YAML flow text ({@code [a, b]}, {@code {K: V}}).
 */
public final class CollectionReader {

    private static final String MAP_EXAMPLE = "expected e.g. X-Frame-Options:DENY,X-Other:value or {X-Frame-Options: DENY}";

    private final Diagnostics diagnostics;

    public CollectionReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** A list of text; one scalar counts as a one-element list (comma-separated when text). */
    public Optional<List<String>> list(Setting s) {
        if (s.value() instanceof String text) {
            return text.strip().startsWith("[") ? flow(s, text).flatMap(this::list) : Optional.of(commaSeparated(text));
        }
        if (!(s.value() instanceof List<?> items)) {
            return ValueText.scalar(s.value()).map(List::of).or(() -> wrongType(s, "a list"));
        }
        List<String> texts = new ArrayList<>();
        int before = diagnostics.problemCount();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            Optional<String> text = item == null ? Optional.empty() : ValueText.scalar(item);
            if (text.isPresent()) {
                texts.add(text.get());
            } else if (item != null) {
                diagnostics.problem(s.at().index(i), "expected text, found " + describe(item));
            }
        }
        return diagnostics.problemCount() == before ? Optional.of(texts) : Optional.empty();
    }

    /** A map of text to text. */
    public Optional<Map<String, String>> stringMap(Setting s) {
        if (s.value() instanceof String text) {
            return text.strip().startsWith("{") ? flow(s, text).flatMap(this::stringMap) : pairs(s, text);
        }
        Optional<Map<String, Object>> map = map(s);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        int before = diagnostics.problemCount();
        map.get().forEach((key, value) -> {
            Optional<String> text = value == null ? Optional.of("") : ValueText.scalar(value);
            text.ifPresentOrElse(t -> texts.put(key, t),
                    () -> diagnostics.problem(s.at().key(key), "expected text, found " + describe(value)));
        });
        return diagnostics.problemCount() == before ? Optional.of(texts) : Optional.empty();
    }

    /** A list or a map of text; as plain text, a map when every entry is {@code K:V}, else a list. */
    public Optional<?> listOrMap(Setting s) {
        if (s.value() instanceof String text && !text.strip().startsWith("[") && !text.strip().startsWith("{")) {
            List<String> items = commaSeparated(text);
            boolean allPairs = !items.isEmpty() && items.stream().allMatch(i -> separator(i) > 0);
            return allPairs ? pairs(s, text) : Optional.of(items);
        }
        Object value = s.value() instanceof String text ? flow(s, text).map(Setting::value).orElse(null) : s.value();
        if (value instanceof Map) {
            return stringMap(new Setting(s.at(), value));
        }
        return value == null ? Optional.empty() : list(new Setting(s.at(), value));
    }

    /** A YAML map with text keys, in the order written. */
    public Optional<Map<String, Object>> map(Setting s) {
        Object value = s.value() instanceof String text && text.strip().startsWith("{")
                ? flow(s, text).map(Setting::value).orElse(null)
                : s.value();
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return Optional.of(copy);
        }
        return value == null ? Optional.empty() : wrongType(s, "a map");
    }

    /** Nested YAML kept as written; text that starts like YAML flow text ({@code [} or {@code {}) is parsed. */
    public Optional<Object> structure(Setting s) {
        if (s.value() instanceof String text && (text.strip().startsWith("[") || text.strip().startsWith("{"))) {
            return flow(s, text).map(Setting::value);
        }
        return Optional.of(s.value());
    }

    /** YAML text parsed in place of {@code s}; a syntax error is a problem. */
    public Optional<Setting> flow(Setting s, String text) {
        try {
            Object parsed = SafeYaml.parse(text);
            return parsed == null ? Optional.empty() : Optional.of(new Setting(s.at(), parsed));
        } catch (YamlSyntaxException e) {
            diagnostics.problem(s.at(), quote(text) + " is not valid YAML flow text: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Map<String, String>> pairs(Setting s, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : commaSeparated(text)) {
            int at = separator(item);
            if (at <= 0) {
                diagnostics.problem(s.at(), quote(item) + " is not a NAME:VALUE pair (" + MAP_EXAMPLE + ")");
                return Optional.empty();
            }
            map.put(item.substring(0, at).strip(), item.substring(at + 1).strip());
        }
        return Optional.of(map);
    }

    private static int separator(String item) {
        int colon = item.indexOf(':');
        int equals = item.indexOf('=');
        return colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
    }

    private static List<String> commaSeparated(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private <T> Optional<T> wrongType(Setting s, String expected) {
        diagnostics.problem(s.at(), "expected " + expected + ", found " + describe(s.value()));
        return Optional.empty();
    }
}
