package dev.portcullis.proxy.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

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
 * @param uri           {@code X-Forwarded-Uri}: the path and query the client asked for, when a
 *                      trusted front proxy said so (Traefik, Caddy forward-auth)
 * @param method        {@code X-Forwarded-Method}, when a trusted front proxy said so
 * @param originalUrl   {@code X-Original-Url} (nginx forward-auth), when a trusted front proxy said so
 * @param claimedUri    {@code X-Forwarded-Uri} as sent, believed or not: only ever used to find a
 *                      sign-in hand-off, which proves itself (it is sealed and names its host)
 * @param checkShaped   whether the request carried {@code X-Forwarded-Method}, {@code X-Forwarded-Uri} or
 *                      {@code X-Original-Url}, believed or not: it has the shape of a forward-auth check
 *                      (which is all it takes to be answered as one, never to be proxied)
 */
public record ForwardedFacts(String clientAddress, List<String> forwardedFor, Optional<String> proto,
        Optional<String> host, Optional<String> uri, Optional<String> method, Optional<String> originalUrl,
        Optional<String> claimedUri, boolean checkShaped) {
    public ForwardedFacts {
        requireNonNull(clientAddress, "clientAddress");
        forwardedFor = List.copyOf(forwardedFor);
        requireNonNull(proto, "proto");
        requireNonNull(host, "host");
        requireNonNull(uri, "uri");
        requireNonNull(method, "method");
        requireNonNull(originalUrl, "originalUrl");
        requireNonNull(claimedUri, "claimedUri");
    }
}
