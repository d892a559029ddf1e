package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.UrlText;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.internal.value.ValueText;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import java.util.List;
import java.util.Optional;

/**
 * Reads which requests a route takes: {@code from} (an http or https URL of scheme and host, a
 * {@code *.} wildcard first label or {@code *} allowed, a port only when written, never a path) and at
 * most one of {@code path}, {@code prefix}, {@code regex}. A TCP route ({@code tcp+https://host:port},
 * Pomerium's tunnelling over {@code CONNECT}) names its port and takes no path matcher (one given is
 * warned about, as it has no effect). UDP routes ({@code udp+https://}) and native SSH routes
 * ({@code ssh://}) are refused with a sentence saying they are not supported.
 */
final class RouteMatchReader {

    private static final List<String> PATH_MATCHERS = List.of("path", "prefix", "regex");
    private static final String TCP_PREFIX = "tcp+";
    private static final List<String> TCP_SCHEMES = List.of("tcp+https", "tcp+http");
    private static final List<String> UDP_SCHEMES = List.of("udp+https", "udp+http");

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
        boolean tcp = from.filter(url -> TCP_SCHEMES.contains(url.scheme())).isPresent();
        Optional<PathMatch> path = tcp ? connect(route) : pathMatch(route);
        if (from.isEmpty() || path.isEmpty()) {
            return Optional.empty();
        }
        UrlText url = from.get();
        String scheme = tcp ? url.scheme().substring(TCP_PREFIX.length()) : url.scheme();
        return Optional.of(new RouteMatch(scheme, url.host(), url.port(), path.get()));
    }

    /** Whether {@code from} is written as a TCP route's ({@code tcp+…://}), valid or not: what its {@code to} must be. */
    boolean tcpRoute(SettingMap route) {
        return route.get("from").flatMap(from -> ValueText.scalar(from.value())).flatMap(text -> UrlText.parse(text.strip()))
                .filter(url -> url.scheme().startsWith(TCP_PREFIX)).isPresent();
    }

    /** A TCP route's match: {@code CONNECT} only; a path matcher has no effect there, as in Pomerium. */
    private Optional<PathMatch> connect(SettingMap route) {
        PATH_MATCHERS.stream().filter(route::has).forEach(key -> diagnostics.warning(route.at().key(key)
                + ": a TCP route (tcp+https://) takes CONNECT requests, which have no path; " + key + " has no effect"));
        return Optional.of(new PathMatch.Connect());
    }

    private Optional<UrlText> from(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip);
        Optional<UrlText> parsed = text.flatMap(UrlText::parse);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String shown = quote(text.get());
        if (unsupported(s, shown, parsed)) {
            return Optional.empty();
        }
        boolean tcp = parsed.filter(u -> TCP_SCHEMES.contains(u.scheme())).isPresent();
        Optional<UrlText> url = parsed.filter(u -> u.isHttp() || TCP_SCHEMES.contains(u.scheme()));
        if (url.isEmpty()) {
            diagnostics.problem(s.at(), shown + " is not an http(s) URL (expected e.g. https://app.example.com)");
        } else if (tcp && !url.get().path().isEmpty() && !url.get().path().equals("/")) {
            diagnostics.problem(s.at(), shown + " names its destination in the path; that form of TCP route is not"
                    + " supported: write from: tcp+https://host:port, with the host and port pomerium-cli asks for");
        } else if (tcp && url.get().port().isEmpty()) {
            diagnostics.problem(s.at(), shown + " has no port; a TCP route names the port pomerium-cli asks for"
                    + " (expected e.g. tcp+https://ssh.example.com:22)");
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

    /** UDP and native SSH routes: refused, naming the route (its YAML path and {@code from}). */
    private boolean unsupported(Setting s, String shown, Optional<UrlText> url) {
        String scheme = url.map(UrlText::scheme).orElse("");
        if (UDP_SCHEMES.contains(scheme)) {
            diagnostics.problem(s.at(), shown + " is a UDP route (pomerium-cli udp); UDP routes are not supported"
                    + " by Portcullis: remove this route or serve it another way");
            return true;
        }
        if (scheme.equals("ssh")) {
            diagnostics.problem(s.at(), shown + " is a native SSH route; ssh:// routes are not supported by Portcullis:"
                    + " tunnel SSH through a TCP route instead (from: tcp+https://" + url.get().host() + ":22,"
                    + " to: tcp://<ssh server>:22) and connect with pomerium-cli tcp");
            return true;
        }
        return false;
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
