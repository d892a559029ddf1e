package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.UrlText;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import java.util.List;
import java.util.Optional;

/**
 * Reads which requests a route takes: {@code from} (an http or https URL of scheme and host, a
 * {@code *.} wildcard first label or {@code *} allowed, a port only when written, never a path) and at
 * most one of {@code path}, {@code prefix}, {@code regex}.
 */
final class RouteMatchReader {

    private static final List<String> PATH_MATCHERS = List.of("path", "prefix", "regex");

    private final ValueReaders readers;
    private final Diagnostics diagnostics;
    private final Re2Regex regex;

    RouteMatchReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.regex = new Re2Regex(diagnostics);
    }

    Optional<RouteMatch> read(SettingMap route) {
        Optional<UrlText> from = route.get("from").flatMap(this::from);
        if (!route.has("from")) {
            diagnostics.problem(route.at().key("from"), "is required (e.g. from: https://app.example.com)");
        }
        Optional<PathMatch> path = pathMatch(route);
        if (from.isEmpty() || path.isEmpty()) {
            return Optional.empty();
        }
        UrlText url = from.get();
        return Optional.of(new RouteMatch(url.scheme(), url.host(), url.port(), path.get()));
    }

    private Optional<UrlText> from(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip);
        Optional<UrlText> url = text.flatMap(UrlText::parse).filter(UrlText::isHttp);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String shown = quote(text.get());
        if (url.isEmpty()) {
            diagnostics.problem(s.at(), shown + " is not an http(s) URL (expected e.g. https://app.example.com)");
        } else if (!url.get().path().isEmpty() && !url.get().path().equals("/")) {
            diagnostics.problem(s.at(), shown + " has a path; from names only the scheme and host"
                    + " (to match a path, add prefix: " + url.get().path() + ")");
        } else if (url.get().query().isPresent() || url.get().fragment().isPresent()) {
            diagnostics.problem(s.at(), shown + " has a query or fragment; from names only the scheme and host");
        } else if (!wildcardWellPlaced(url.get().host())) {
            diagnostics.problem(s.at(), shown + " has a * that is not the whole first label"
                    + " (expected e.g. https://*.example.com or https://*)");
        } else {
            return url;
        }
        return Optional.empty();
    }

    private static boolean wildcardWellPlaced(String host) {
        String rest = host.startsWith("*.") ? host.substring(2) : host.equals("*") ? "" : host;
        return !rest.contains("*");
    }

    private Optional<PathMatch> pathMatch(SettingMap route) {
        List<String> set = PATH_MATCHERS.stream().filter(route::has).toList();
        if (set.size() > 1) {
            diagnostics.problem(route.at(), "set at most one of path, prefix or regex (found " + String.join(" and ", set) + ")");
            return Optional.empty();
        }
        if (set.isEmpty()) {
            return Optional.of(new PathMatch.Any());
        }
        Setting s = route.get(set.get(0)).orElseThrow();
        Optional<String> text = readers.scalars().text(s);
        return switch (set.get(0)) {
            case "path" -> text.flatMap(p -> absolute(s, p)).map(PathMatch.Exact::new);
            case "prefix" -> text.flatMap(p -> absolute(s, p)).map(PathMatch.Prefix::new);
            default -> text.flatMap(r -> regex.compile(s.at(), r)).map(PathMatch.Regex::new);
        };
    }

    private Optional<String> absolute(Setting s, String path) {
        if (path.startsWith("/")) {
            return Optional.of(path);
        }
        diagnostics.problem(s.at(), quote(path) + " does not start with / (expected e.g. /api)");
        return Optional.empty();
    }
}
