package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

/**
 * A host and port of a server: a Redis server or Sentinel, a PostgreSQL server.
 *
 * @param host a DNS name or IP address; an IPv6 address without its brackets
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: empty (expected a name or an address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1 to 65535)");
        }
    }

    /** {@code host:port}, with an IPv6 address in brackets ({@code [::1]:6379}). */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
