package dev.portcullis.proxy.exchange;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.Options;
import dev.portcullis.proxy.http.ForwardedHeaders;
import dev.portcullis.proxy.route.RouteTable;

/**
 * Everything a request reads from the configuration, built once per configuration and swapped
 * as a whole: a request works with the snapshot it started with.
 */
public record ProxySnapshot(Options options, RouteTable routes, ForwardedHeaders forwardedHeaders) {
    public ProxySnapshot {
        requireNonNull(options, "options");
        requireNonNull(routes, "routes");
        requireNonNull(forwardedHeaders, "forwardedHeaders");
    }

    /** Builds the snapshot of {@code options}. */
    public static ProxySnapshot of(Options options) {
        return new ProxySnapshot(options, RouteTable.of(options.routes()),
                new ForwardedHeaders(options.forwarding().xffNumTrustedHops(), options.forwarding().skipXffAppend()));
    }
}
