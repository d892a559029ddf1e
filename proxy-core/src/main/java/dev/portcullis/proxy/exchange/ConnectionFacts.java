package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.tls.ServerCertificate;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Facts about a client connection, fixed when it is accepted: whether it is TLS, which
 * certificate it was shown. Kept on the connection (the parent of HTTP/2 stream channels).
 */
public record ConnectionFacts(boolean tls, Optional<ServerCertificate> certificate) {
    public static final AttributeKey<ConnectionFacts> KEY = AttributeKey.valueOf("portcullis.connection");

    /** The facts of the connection {@code channel} belongs to. */
    static ConnectionFacts of(Channel channel) {
        ConnectionFacts facts = connectionOf(channel).attr(KEY).get();
        return facts != null ? facts : new ConnectionFacts(false, Optional.empty());
    }

    /** The client's address as the socket sees it. */
    static InetSocketAddress peer(Channel channel) {
        return (InetSocketAddress) connectionOf(channel).remoteAddress();
    }

    /** The socket channel itself, or for an HTTP/2 stream the connection it belongs to. */
    private static Channel connectionOf(Channel channel) {
        Channel parent = channel.parent();
        return parent != null && !(parent instanceof io.netty.channel.ServerChannel) ? parent : channel;
    }
}
