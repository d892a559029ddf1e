package dev.portcullis.config.internal.routes;

import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Names routes. A route without {@code name:} is named after its match — the host of {@code from}
 * (and port, when written) plus the path matcher: {@code httpbin.int.nas.example},
 * {@code app.example/api}, {@code app.example~^/v[0-9]+/} — made unique with {@code -2}, {@code -3} …
 * Names given explicitly are kept as written and never taken by a derived name.
 */
final class RouteNames {

    private final Set<String> taken;

    /** @param explicitNames every {@code name:} the routes give, reserved before any name is derived */
    RouteNames(Collection<String> explicitNames) {
        this.taken = new HashSet<>(explicitNames);
    }

    /** {@code explicit} if given, else a name derived from {@code match} that no other route has. */
    String nameFor(Optional<String> explicit, RouteMatch match) {
        if (explicit.isPresent()) {
            return explicit.get();
        }
        String base = derive(match);
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    private static String derive(RouteMatch match) {
        String host = match.host() + (match.port().isPresent() ? ":" + match.port().getAsInt() : "");
        PathMatch path = match.path();
        if (path instanceof PathMatch.Exact exact) {
            return host + exact.path();
        }
        if (path instanceof PathMatch.Prefix prefix) {
            return prefix.prefix().equals("/") ? host : host + prefix.prefix();
        }
        if (path instanceof PathMatch.Regex regex) {
            return host + "~" + regex.pattern().pattern();
        }
        return host;
    }
}
