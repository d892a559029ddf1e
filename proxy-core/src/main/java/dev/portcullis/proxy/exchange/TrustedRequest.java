package dev.portcullis.proxy.exchange;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.ProxyCredentials;
import dev.portcullis.proxy.stage.ProxySnapshot;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request head past the {@link TrustBoundary}: its headers hold nothing the proxy owns, and what
 * the proxy believes about it travels beside it. The body follows as {@code HttpContent} messages.
 *
 * @param head        the request line and the headers that may reach an upstream; never a {@link FullHttpRequest}
 * @param snapshot    the configuration the boundary applied, which the whole request is then handled with
 * @param forwarded   what is believed about where the request came from
 * @param credentials the proxy's own cookies and authorization the request carried
 */
record TrustedRequest(HttpRequest head, ProxySnapshot snapshot, ForwardedFacts forwarded,
        ProxyCredentials credentials) {
    TrustedRequest {
        requireNonNull(head, "head");
        requireNonNull(snapshot, "snapshot");
        requireNonNull(forwarded, "forwarded");
        requireNonNull(credentials, "credentials");
        if (head instanceof FullHttpRequest) {
            throw new IllegalArgumentException("head: a FullHttpRequest (expected: the head alone, its content following)");
        }
    }
}
