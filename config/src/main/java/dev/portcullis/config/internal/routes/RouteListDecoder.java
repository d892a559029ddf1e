package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.internal.value.Base64Text;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.yaml.SafeYaml;
import dev.portcullis.config.internal.yaml.YamlSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a route list setting into one setting per route. In the file it is a YAML list; as text (the
 * {@code POLICY} and {@code ROUTES} variables) it is base64-encoded YAML, standard or URL-safe, padded
 * or not, wrapped or not ({@code base64 -i policy.yaml}). Plain YAML text is accepted too, so a changed
 * policy need not be re-encoded.
 */
final class RouteListDecoder {

    private final Diagnostics diagnostics;

    RouteListDecoder(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** One setting per entry, at {@code policy[0]}, {@code policy[1]} …; empty after reporting a problem. */
    Optional<List<Setting>> entries(Setting list) {
        Object value = list.value();
        if (value instanceof String text) {
            Optional<Object> parsed = parse(list, text);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            value = parsed.get();
        }
        if (value instanceof List<?> routes) {
            List<Setting> entries = new ArrayList<>();
            for (int i = 0; i < routes.size(); i++) {
                Object route = routes.get(i);
                entries.add(new Setting(list.at().index(i), route == null ? "" : route));
            }
            return Optional.of(entries);
        }
        diagnostics.problem(list.at(), "expected a list of routes (each starting with - from:), found " + describe(value));
        return Optional.empty();
    }

    private Optional<Object> parse(Setting list, String text) {
        boolean encoded = Base64Text.looksLikeBase64(text);
        String yaml = encoded ? Base64Text.decode(text).map(b -> new String(b, UTF_8)).orElse(null) : text;
        if (yaml == null) {
            diagnostics.problem(list.at(), "is not valid base64 (expected the output of \"base64 -i policy.yaml\")");
            return Optional.empty();
        }
        try {
            Object parsed = SafeYaml.parse(yaml);
            return Optional.of(parsed == null ? List.of() : parsed);
        } catch (YamlSyntaxException e) {
            diagnostics.problem(list.at(), "is not valid YAML" + (encoded ? " after base64 decoding" : "")
                    + " at " + e.getMessage());
            return Optional.empty();
        }
    }
}
