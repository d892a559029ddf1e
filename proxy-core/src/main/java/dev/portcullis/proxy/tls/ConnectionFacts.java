package dev.portcullis.proxy.tls;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Facts about a client connection, fixed when it is accepted and its TLS handshake completes: whether it is TLS,
 * which certificate it was shown, and the verdict on the client's certificate. Kept on the connection (the parent
 * of HTTP/2 stream channels).
 *
 * @param tls               whether the connection is TLS
 * @param certificate       the server certificate chosen by SNI, when requests' hosts are held against it
 * @param clientCertificate the verdict on the client's certificate; empty when none was asked for (no
 *                          {@code downstream_mtls} when the connection was opened, or no TLS)
 */
public record ConnectionFacts(boolean tls, Optional<ServerCertificate> certificate,
        Optional<ClientCertificateVerdict> clientCertificate) {
    public static final AttributeKey<ConnectionFacts> KEY = AttributeKey.valueOf("portcullis.connection");
    /** With {@code use_proxy_protocol}: the source address the PROXY protocol header named. */
    private static final AttributeKey<InetSocketAddress> PROXY_SOURCE = AttributeKey.valueOf("portcullis.proxySource");

    /** Facts before any client certificate was asked for. */
    public ConnectionFacts(boolean tls, Optional<ServerCertificate> certificate) {
        this(tls, certificate, Optional.empty());
    }

    /** These facts with the verdict on the client's certificate. */
    public ConnectionFacts withClientCertificate(ClientCertificateVerdict verdict) {
        return new ConnectionFacts(tls, certificate, Optional.of(verdict));
    }

    /** The facts of the connection {@code channel} belongs to. */
    public static ConnectionFacts of(Channel channel) {
        ConnectionFacts facts = connectionOf(channel).attr(KEY).get();
        return facts != null ? facts : new ConnectionFacts(false, Optional.empty());
    }

    /**
     * The client's address: the source a PROXY protocol header named ({@code use_proxy_protocol}), else the socket's
     * remote address. The one place that decides it; everything that speaks of the peer asks here.
     */
    public static InetSocketAddress peer(Channel channel) {
        Channel connection = connectionOf(channel);
        InetSocketAddress proxySource = connection.attr(PROXY_SOURCE).get();
        return proxySource != null ? proxySource : (InetSocketAddress) connection.remoteAddress();
    }

    /** Records {@code source}, from the PROXY protocol header {@code connection} began with, as its peer. */
    public static void recordProxySource(Channel connection, InetSocketAddress source) {
        connectionOf(connection).attr(PROXY_SOURCE).set(source);
    }

    /** The socket channel itself, or for an HTTP/2 stream the connection it belongs to. */
    private static Channel connectionOf(Channel channel) {
        Channel parent = channel.parent();
        return parent != null && !(parent instanceof io.netty.channel.ServerChannel) ? parent : channel;
    }
}
