package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One upstream address from a route's {@code to}.
 *
 * @param scheme   {@code http}, {@code https} or {@code h2c} (cleartext HTTP/2, e.g. gRPC)
 * @param host     host name or address literal (without brackets)
 * @param port     explicit or the scheme's default (80 for http and h2c, 443 for https)
 * @param basePath the path of the {@code to} URL as written ({@code /app}, {@code /app/}, {@code /}), or empty; as in
 *                 Pomerium it is a prefix rewrite: it replaces the part of the request path the route
 *                 matched ({@code /} without a {@code prefix}), so {@code to: http://x/app/} + {@code /foo}
 *                 → {@code /app/foo} and {@code to: http://x/app} + {@code /foo} → {@code /appfoo}; a
 *                 route's own {@code prefix_rewrite} or {@code regex_rewrite_*} takes its place
 * @param weight   relative share of requests ({@code "http://a,3"}), 1 by default
 * @param socketPath for a Unix domain socket upstream ({@code unix:///var/run/app.sock}, {@code http+unix://…},
 *                 {@code https+unix://…}), the socket's path; {@code host} is then {@code localhost} (the name
 *                 verified over TLS unless {@code tls_upstream_server_name} says otherwise) and {@code port} the
 *                 scheme's default, unused
 */
public record UpstreamEndpoint(String scheme, String host, int port, String basePath, int weight,
        Optional<String> socketPath) {
    /** The scheme of plain HTTP over a Unix domain socket, as Pomerium writes it. */
    public static final String UNIX = "unix";
    /** The scheme of HTTPS over a Unix domain socket. */
    public static final String HTTPS_UNIX = "https+unix";

    public UpstreamEndpoint {
        requireNonNull(scheme, "scheme");
        requireNonNull(host, "host");
        requireNonNull(basePath, "basePath");
        requireNonNull(socketPath, "socketPath");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
    }

    /** An endpoint reached over TCP. */
    public UpstreamEndpoint(String scheme, String host, int port, String basePath, int weight) {
        this(scheme, host, port, basePath, weight, Optional.empty());
    }

    /** An endpoint reached over the Unix domain socket at {@code path}, over TLS when {@code tls}. */
    public static UpstreamEndpoint unixSocket(boolean tls, String path, int weight) {
        return new UpstreamEndpoint(tls ? HTTPS_UNIX : UNIX, "localhost", tls ? 443 : 80, "", weight, Optional.of(path));
    }

    /** Whether requests go over TLS. */
    public boolean tls() {
        return scheme.equals("https") || scheme.equals(HTTPS_UNIX);
    }

    /** Whether the endpoint is a Unix domain socket. */
    public boolean unixSocket() {
        return socketPath.isPresent();
    }

    /** Whether requests go as cleartext HTTP/2 with prior knowledge. */
    public boolean h2c() {
        return scheme.equals("h2c");
    }

    /** {@code host:port}, with brackets around an IPv6 literal; the default Host header upstream. */
    public String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = (tls() && port == 443) || (!tls() && port == 80);
        return defaultPort ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        return socketPath.isPresent() ? scheme + "://" + socketPath.get() : scheme + "://" + authority() + basePath;
    }
}
