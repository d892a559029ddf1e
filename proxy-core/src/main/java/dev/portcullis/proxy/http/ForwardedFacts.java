package dev.portcullis.proxy.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the proxy believes about where a request came from, after applying
 * {@code xff_num_trusted_hops}.
 *
 * @param clientAddress the client's IP address (the remote peer, or the entry trusted front
 *                      proxies recorded)
 * @param forwardedFor  the {@code X-Forwarded-For} value to send upstream: the trusted entries,
 *                      then the peer address (unless {@code skip_xff_append})
 * @param proto         the scheme the client used, when a trusted front proxy said so
 * @param host          the host the client asked for, when a trusted front proxy said so
 */
public record ForwardedFacts(String clientAddress, List<String> forwardedFor,
        java.util.Optional<String> proto, java.util.Optional<String> host) {
    public ForwardedFacts {
        requireNonNull(clientAddress, "clientAddress");
        forwardedFor = List.copyOf(forwardedFor);
        requireNonNull(proto, "proto");
        requireNonNull(host, "host");
    }
}
