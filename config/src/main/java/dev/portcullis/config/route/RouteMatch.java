package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Which requests a route takes.
 *
 * @param scheme    {@code http} or {@code https} from {@code from} ({@code https} for {@code tcp+https}); the
 *                  scheme of URLs built for the browser
 * @param host      lower-case host of {@code from}; may start with {@code *.} (wildcard) or be {@code *}
 * @param port      the port {@code from} names; empty means any port matches
 * @param path      one of the path matchers, {@link PathMatch.Any}, or {@link PathMatch.Connect} for a TCP route
 */
public record RouteMatch(String scheme, String host, OptionalInt port, PathMatch path) {
    public RouteMatch {
        requireNonNull(scheme, "scheme");
        requireNonNull(host, "host");
        requireNonNull(port, "port");
        requireNonNull(path, "path");
    }

    /** The port a browser leaves out for {@link #scheme()}: 443 for {@code https}, else 80. */
    public int defaultPort() {
        return scheme.equals("https") ? 443 : 80;
    }

    /** Whether this is a TCP route's match ({@code tcp+https://host:port}), which takes only {@code CONNECT}. */
    public boolean connect() {
        return path instanceof PathMatch.Connect;
    }

    /** Whether {@link #host()} holds a {@code *} label. */
    public boolean wildcardHost() {
        return host.contains("*");
    }

    /** How a route matches the request path (already normalised). */
    public sealed interface PathMatch {
        /**
         * The path this match names literally: the exact path, the prefix, else {@code /}. What a prefix
         * rewrite replaces, and where a link to the route points.
         */
        default String literalPath() {
            if (this instanceof Exact exact) {
                return exact.path();
            }
            if (this instanceof Prefix prefix) {
                return prefix.prefix();
            }
            return "/";
        }

        /** No path option: every path. */
        record Any() implements PathMatch {}

        /** {@code path:} the path equals this exactly. */
        record Exact(String path) implements PathMatch {
            public Exact {
                requireNonNull(path, "path");
            }
        }

        /** {@code prefix:} the path starts with this. */
        record Prefix(String prefix) implements PathMatch {
            public Prefix {
                requireNonNull(prefix, "prefix");
            }
        }

        /**
         * {@code from: tcp+https://host:port}: the route takes HTTP {@code CONNECT} requests for exactly this host
         * and port (RFC 9110 §9.3.6, Pomerium's TCP tunnelling, as {@code pomerium-cli tcp} sends them), and no
         * other request; as in Pomerium, the match has no path.
         */
        record Connect() implements PathMatch {}

        /** {@code regex:} the whole path matches this (RE2-like syntax, as Java regex). */
        record Regex(Pattern pattern) implements PathMatch {
            public Regex {
                requireNonNull(pattern, "pattern");
            }
        }
    }
}
