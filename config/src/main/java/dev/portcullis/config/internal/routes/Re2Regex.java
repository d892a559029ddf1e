package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions of routes and of {@code downstream_mtls.match_subject_alt_names}, written
 * for Envoy (RE2), with {@link java.util.regex}.
 * The two syntaxes agree on what routes use; RE2's named group {@code (?P<name>…)} is rewritten to
 * Java's {@code (?<name>…)}.
 */
public final class Re2Regex {

    private final Diagnostics diagnostics;

    public Re2Regex(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The compiled pattern, or empty after reporting the syntax error with its position. */
    public Optional<Pattern> compile(ConfigPath at, String regex) {
        try {
            return Optional.of(Pattern.compile(regex.replace("(?P<", "(?<")));
        } catch (PatternSyntaxException e) {
            String near = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            diagnostics.problem(at, quote(regex) + " is not a valid regular expression: " + e.getDescription() + near);
            return Optional.empty();
        }
    }
}
