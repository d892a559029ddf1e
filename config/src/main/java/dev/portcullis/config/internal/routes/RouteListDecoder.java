package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.internal.value.Base64Text;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.yaml.SafeYaml;
import dev.portcullis.config.internal.yaml.YamlSyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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

    private static final String HOW_TO_ENCODE = "\"base64 -w0 policy.yaml\", or \"base64 -i policy.yaml\" on macOS";

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
        diagnostics.problem(list.at(), "expected a list of routes (each starting with - from:), found " + describe(value)
                + (list.value() instanceof String ? "; as text it is base64 of the YAML list: " + HOW_TO_ENCODE : ""));
        return Optional.empty();
    }

    private Optional<Object> parse(Setting list, String text) {
        boolean encoded = Base64Text.looksLikeBase64(text);
        if (!encoded) {
            return parseYaml(list, text, "is neither base64 nor a YAML list of routes (");
        }
        Optional<byte[]> bytes = Base64Text.decode(text);
        Optional<String> yaml = bytes.flatMap(RouteListDecoder::utf8);
        if (yaml.isEmpty()) {
            diagnostics.problem(list.at(), (bytes.isEmpty() ? "is not valid base64" : "is base64 of bytes that are not"
                    + " UTF-8 text") + "; it may be cut short: copy the whole output of " + HOW_TO_ENCODE);
            return Optional.empty();
        }
        return parseYaml(list, yaml.get(), "is not valid YAML after base64 decoding; the base64 may be cut short (");
    }

    private Optional<Object> parseYaml(Setting list, String yaml, String problem) {
        try {
            Object parsed = SafeYaml.parse(yaml);
            return Optional.of(parsed == null ? List.of() : parsed);
        } catch (YamlSyntaxException e) {
            diagnostics.problem(list.at(), problem + "YAML error at " + e.getMessage() + "); make it with "
                    + HOW_TO_ENCODE);
            return Optional.empty();
        }
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
