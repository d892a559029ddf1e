package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RequestRewrite;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads how the request changes on the way upstream: {@code prefix_rewrite},
 * {@code regex_rewrite_pattern} with {@code regex_rewrite_substitution} (both or neither; Envoy's
 * {@code \1} becomes Java's {@code $1}), {@code host_rewrite}, {@code host_rewrite_header} (a header name),
 * {@code host_path_regex_rewrite_pattern} with {@code host_path_regex_rewrite_substitution} (both or neither) and
 * {@code preserve_host_header}.
 */
final class RewriteReader {

    private static final String PATTERN = "regex_rewrite_pattern";
    private static final String SUBSTITUTION = "regex_rewrite_substitution";
    private static final String HOST_PATTERN = "host_path_regex_rewrite_pattern";
    private static final String HOST_SUBSTITUTION = "host_path_regex_rewrite_substitution";
    /** An HTTP field name (RFC 9110 §5.1: a token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final ScalarReader scalars;
    private final Diagnostics diagnostics;
    private final Re2Regex regex;

    RewriteReader(ValueReaders readers) {
        this.scalars = readers.scalars();
        this.diagnostics = readers.diagnostics();
        this.regex = new Re2Regex(diagnostics);
    }

    Optional<RequestRewrite> read(SettingMap route) {
        int before = diagnostics.problemCount();
        Optional<String> prefix = route.get("prefix_rewrite").flatMap(scalars::text);
        Optional<Pattern> pattern = route.get(PATTERN).flatMap(s -> scalars.text(s).flatMap(p -> regex.compile(s.at(), p)));
        Optional<String> substitution = route.get(SUBSTITUTION).flatMap(s -> substitution(s, pattern));
        requireBoth(route, PATTERN, SUBSTITUTION);
        requireBoth(route, SUBSTITUTION, PATTERN);
        Optional<String> host = route.get("host_rewrite").flatMap(scalars::text);
        boolean preserveHost = route.get("preserve_host_header").flatMap(scalars::bool).orElse(false);
        Optional<String> hostHeader = route.get("host_rewrite_header").flatMap(this::headerName);
        Optional<Pattern> hostPattern = route.get(HOST_PATTERN)
                .flatMap(s -> scalars.text(s).flatMap(p -> regex.compile(s.at(), p)));
        Optional<String> hostSubstitution = route.get(HOST_SUBSTITUTION)
                .flatMap(s -> substitution(s, hostPattern, HOST_PATTERN));
        requireBoth(route, HOST_PATTERN, HOST_SUBSTITUTION);
        requireBoth(route, HOST_SUBSTITUTION, HOST_PATTERN);
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new RequestRewrite(prefix, pattern, substitution, host, preserveHost, hostHeader, hostPattern,
                hostSubstitution));
    }

    private Optional<String> substitution(Setting s, Optional<Pattern> pattern) {
        return substitution(s, pattern, PATTERN);
    }

    private Optional<String> substitution(Setting s, Optional<Pattern> pattern, String patternKey) {
        Optional<String> text = scalars.text(s);
        int groups = pattern.map(p -> p.matcher("").groupCount()).orElse(Integer.MAX_VALUE);
        int highest = text.map(RegexSubstitution::highestGroup).orElse(0);
        if (highest > groups) {
            diagnostics.problem(s.at(), "\"\\" + highest + "\" refers to group " + highest + " but " + patternKey
                    + " has " + groups + (groups == 1 ? " group" : " groups"));
            return Optional.empty();
        }
        return text.map(RegexSubstitution::toJava);
    }

    private Optional<String> headerName(Setting s) {
        Optional<String> name = scalars.text(s).map(String::strip);
        if (name.isPresent() && !HEADER_NAME.matcher(name.get()).matches()) {
            diagnostics.problem(s.at(), "\"" + name.get() + "\" is not a header name (expected e.g. X-Forwarded-Host)");
            return Optional.empty();
        }
        return name;
    }

    private void requireBoth(SettingMap route, String present, String required) {
        if (route.has(present) && !route.has(required)) {
            diagnostics.problem(route.at().key(required), "is required when " + present + " is set");
        }
    }
}
