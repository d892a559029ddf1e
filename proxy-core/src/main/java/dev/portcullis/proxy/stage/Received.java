package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.failure.ProxyFailure;
import java.util.List;
import java.util.Optional;

/**
 * A request head as the decision stages may read it, in plain values taken from the decoded head
 * past the trust boundary.
 *
 * @param method           the method as received
 * @param uri              the request target as received
 * @param protocol         {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
 * @param hostFields       every {@code Host} value (for HTTP/2, {@code :authority} first), in order
 * @param unreadable       how the head failed to decode, when it did (400, 414, 431)
 * @param accept           {@code Accept}, or null
 * @param referer          {@code Referer}, when sent
 * @param origin           {@code Origin}, when sent (browsers send it with every {@code POST})
 * @param fetchSite        {@code Sec-Fetch-Site}, when sent: how the browser relates the request to the page that
 *                         made it ({@code same-origin}, {@code same-site}, {@code cross-site}, {@code none})
 * @param corsPreflight    {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}
 * @param webSocketUpgrade the {@code Upgrade} value of an HTTP/1.1 {@code GET} asking for a WebSocket
 *                         ({@code Connection: upgrade}, {@code Upgrade: websocket}), else empty
 */
public record Received(String method, String uri, String protocol, List<String> hostFields, Optional<ProxyFailure> unreadable,
        String accept, Optional<String> referer, Optional<String> origin, Optional<String> fetchSite,
        boolean corsPreflight, Optional<String> webSocketUpgrade) {
    public Received {
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        requireNonNull(protocol, "protocol");
        hostFields = List.copyOf(hostFields);
        requireNonNull(unreadable, "unreadable");
        requireNonNull(referer, "referer");
        requireNonNull(origin, "origin");
        requireNonNull(fetchSite, "fetchSite");
        requireNonNull(webSocketUpgrade, "webSocketUpgrade");
    }

    public boolean http2() {
        return protocol.equals("HTTP/2");
    }
}
