package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * @param timeout     the whole upstream exchange, from sending the request to the last byte of the
 *                    response; {@link Duration#ZERO} means none (the default for WebSocket routes)
 * @param idleTimeout longest silence on the upstream connection while a request is under way;
 *                    {@link Duration#ZERO} means none
 */
public record RouteTimeouts(Duration timeout, Duration idleTimeout) {
    public RouteTimeouts {
        requireNonNull(timeout, "timeout");
        requireNonNull(idleTimeout, "idleTimeout");
    }
}
