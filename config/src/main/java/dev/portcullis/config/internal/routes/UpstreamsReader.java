package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.UrlText;
import dev.portcullis.config.internal.value.ValueText;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.UpstreamEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code to}: one URL or a list of them, each optionally followed by {@code ,weight}
 * ({@code "http://a:8080,3"}). Schemes http, https and h2c (cleartext HTTP/2); the port defaults to
 * 80, 443 and 80; a path becomes the endpoint's base path. Unix domain sockets as Pomerium writes them:
 * {@code unix:///var/run/app.sock} (also {@code http+unix://}) and {@code https+unix://}; not mixed with network URLs.
 * A TCP route's {@code to} is {@code tcp://host:port} instead (the port required, no path), and only a TCP route may
 * have one: as in Pomerium, tcp and other schemes do not mix.
 */
final class UpstreamsReader {

    private static final Pattern WEIGHTED = Pattern.compile("(.*),\\s*([0-9]{1,6})\\s*");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443, "h2c", 80);
    /**
     * A Unix domain socket, as Go's URL parser reads Pomerium's {@code unix:///var/run/app.sock}: the path after the
     * (usually empty) authority is the socket's. {@code http+unix} is accepted as another name for {@code unix}.
     */
    private static final Pattern UNIX_SOCKET = Pattern.compile("(?i)(unix|http\\+unix|https\\+unix)://([^/?#]*)(/[^?#]*)?(\\?.*|#.*)?");
    private static final String TCP = "tcp";

    private final Diagnostics diagnostics;

    UpstreamsReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** @param tcpRoute whether the route is a TCP route ({@code from: tcp+https://…}), whose {@code to} is {@code tcp://} */
    Optional<RouteAction.Forward> read(Setting to, boolean tcpRoute) {
        List<Setting> entries = new ArrayList<>();
        if (to.value() instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                entries.add(new Setting(to.at().index(i), list.get(i) == null ? "" : list.get(i)));
            }
            if (entries.isEmpty()) {
                diagnostics.problem(to.at(), "is an empty list (expected at least one URL)");
                return Optional.empty();
            }
        } else {
            entries.add(to);
        }
        List<UpstreamEndpoint> endpoints = new ArrayList<>();
        int before = diagnostics.problemCount();
        entries.forEach(e -> endpoint(e, tcpRoute).ifPresent(endpoints::add));
        if (diagnostics.problemCount() == before && endpoints.stream().map(UpstreamEndpoint::unixSocket).distinct().count() > 1) {
            diagnostics.problem(to.at(), "mixes Unix socket and network URLs; as in Pomerium, a route's to is one or the other");
        }
        return diagnostics.problemCount() > before ? Optional.empty() : Optional.of(new RouteAction.Forward(endpoints));
    }

    private Optional<UpstreamEndpoint> endpoint(Setting entry, boolean tcpRoute) {
        Optional<String> text = ValueText.scalar(entry.value()).map(String::strip);
        if (text.isEmpty()) {
            diagnostics.problem(entry.at(), "expected a URL or a list of URLs, found " + describe(entry.value()));
            return Optional.empty();
        }
        String url = text.get();
        int weight = 1;
        Matcher weighted = WEIGHTED.matcher(url);
        if (weighted.matches()) {
            url = weighted.group(1).strip();
            weight = Integer.parseInt(weighted.group(2));
            if (weight < 1) {
                diagnostics.problem(entry.at(), quote(text.get()) + " has weight " + weighted.group(2)
                        + " (expected a whole number from 1 to 999999)");
                return Optional.empty();
            }
        }
        Optional<UrlText> tcp = UrlText.parse(url).filter(u -> u.scheme().equals(TCP));
        if (tcpRoute || tcp.isPresent()) {
            return tcpEndpoint(entry.at(), url, tcp, weight, tcpRoute);
        }
        return parse(entry.at(), url, weight);
    }

    private Optional<UpstreamEndpoint> tcpEndpoint(ConfigPath at, String text, Optional<UrlText> url, int weight,
            boolean tcpRoute) {
        if (!tcpRoute) {
            diagnostics.problem(at, quote(text) + " is a TCP upstream; only a TCP route (from: tcp+https://host:port)"
                    + " forwards to tcp://");
        } else if (url.isEmpty() || url.get().host().contains("*")) {
            diagnostics.problem(at, quote(text) + " is not a tcp:// URL; a TCP route forwards to tcp://host:port"
                    + " (e.g. tcp://nas:22)");
        } else if (url.get().port().isEmpty()) {
            diagnostics.problem(at, quote(text) + " has no port (expected e.g. tcp://nas:22)");
        } else if ((!url.get().path().isEmpty() && !url.get().path().equals("/")) || url.get().query().isPresent()
                || url.get().fragment().isPresent()) {
            diagnostics.problem(at, quote(text) + " has a path, query or fragment; tcp:// takes only host and port");
        } else {
            return Optional.of(new UpstreamEndpoint(TCP, url.get().host(), url.get().port().getAsInt(), "", weight));
        }
        return Optional.empty();
    }

    private Optional<UpstreamEndpoint> parse(ConfigPath at, String text, int weight) {
        Matcher unix = UNIX_SOCKET.matcher(text);
        if (unix.matches()) {
            return unixSocket(at, text, unix, weight);
        }
        Optional<UrlText> url = UrlText.parse(text).filter(u -> DEFAULT_PORTS.containsKey(u.scheme()));
        if (url.isEmpty() || url.get().host().contains("*")) {
            diagnostics.problem(at, quote(text) + " is not an http(s) URL (expected e.g. http://httpbin:8080;"
                    + " h2c:// for cleartext HTTP/2; unix:///var/run/app.sock or https+unix:// for a Unix socket)");
            return Optional.empty();
        }
        UrlText u = url.get();
        if (u.query().isPresent() || u.fragment().isPresent()) {
            diagnostics.problem(at, quote(text) + " has a query or fragment; to takes scheme, host, port and path");
            return Optional.empty();
        }
        String basePath = u.path();
        if (!basePath.isEmpty() && !basePath.endsWith("/")) {
            diagnostics.warning(at + ": the path of " + quote(text) + " has no trailing /: as in Pomerium it replaces"
                    + " the matched prefix, so /hello is sent as " + basePath + "hello; write " + basePath
                    + "/ to send " + basePath + "/hello");
        }
        return Optional.of(new UpstreamEndpoint(u.scheme(), u.host(), u.port().orElse(DEFAULT_PORTS.get(u.scheme())),
                basePath, weight));
    }

    private Optional<UpstreamEndpoint> unixSocket(ConfigPath at, String text, Matcher unix, int weight) {
        String path = unix.group(3);
        if (path == null || path.equals("/") || unix.group(4) != null) {
            diagnostics.problem(at, quote(text) + " names no socket (expected e.g. unix:///var/run/app.sock,"
                    + " https+unix:///run/app/tls.sock; no query or fragment)");
            return Optional.empty();
        }
        return Optional.of(UpstreamEndpoint.unixSocket(unix.group(1).equalsIgnoreCase("https+unix"), path, weight));
    }
}
