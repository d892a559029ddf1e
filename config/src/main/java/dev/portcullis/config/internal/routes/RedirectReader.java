package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;

import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.source.UnknownKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RouteAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads {@code redirect:} (Envoy's redirect action): at most one of {@code https_redirect} and
 * {@code scheme_redirect}, at most one of {@code path_redirect} and {@code prefix_rewrite}, and a
 * {@code response_code} of 301 (default), 302, 303, 307 or 308.
 */
final class RedirectReader {

    private static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    RedirectReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    Optional<RouteAction.Redirect> read(Setting redirect) {
        Optional<Map<String, Object>> map = readers.collections().map(redirect);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        SettingMap r = SettingMap.ofYaml(redirect.at(), map.get());
        UnknownKeys unknown = new UnknownKeys(diagnostics);
        r.keys().forEach(k -> unknown.check(OptionScope.ROUTE, "redirect", r.at(), k));
        int before = diagnostics.problemCount();
        atMostOne(r, "https_redirect", "scheme_redirect");
        atMostOne(r, "path_redirect", "prefix_rewrite");
        ScalarReader scalars = readers.scalars();
        boolean https = r.get("https_redirect").flatMap(scalars::bool).orElse(false);
        Optional<String> scheme = r.get("scheme_redirect").flatMap(scalars::text);
        Optional<String> host = r.get("host_redirect").flatMap(scalars::text);
        Optional<Integer> port = r.get("port_redirect").flatMap(s -> scalars.integer(s, 1, 65535));
        Optional<String> path = r.get("path_redirect").flatMap(scalars::text);
        Optional<String> prefix = r.get("prefix_rewrite").flatMap(scalars::text);
        int code = r.get("response_code").flatMap(this::responseCode).orElse(301);
        boolean stripQuery = r.get("strip_query").flatMap(scalars::bool).orElse(false);
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new RouteAction.Redirect(https, scheme, host,
                port.map(OptionalInt::of).orElse(OptionalInt.empty()), path, prefix, code, stripQuery));
    }

    private void atMostOne(SettingMap r, String a, String b) {
        if (r.has(a) && r.has(b)) {
            diagnostics.problem(r.at(), "set at most one of " + a + " and " + b);
        }
    }

    private Optional<Integer> responseCode(Setting s) {
        Optional<Integer> code = readers.scalars().integer(s, 100, 999);
        if (code.isPresent() && !REDIRECT_CODES.contains(code.get())) {
            diagnostics.problem(s.at(), describe(s.value()) + " is not a redirect status (expected 301, 302, 303, 307 or 308)");
            return Optional.empty();
        }
        return code;
    }
}
