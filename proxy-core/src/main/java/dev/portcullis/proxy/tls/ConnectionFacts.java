package dev.portcullis.proxy.tls;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
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
 * @param clientChain       the chain the client presented (its certificate first), as sent, for a route that judges
 *                          it against its own CA ({@code tls_downstream_client_ca}); empty when none
 */
public record ConnectionFacts(boolean tls, Optional<ServerCertificate> certificate,
        Optional<ClientCertificateVerdict> clientCertificate, List<X509Certificate> clientChain) {
    public static final AttributeKey<ConnectionFacts> KEY = AttributeKey.valueOf("portcullis.connection");
    /** With {@code use_proxy_protocol}: the source address the PROXY protocol header named. */
    private static final AttributeKey<InetSocketAddress> PROXY_SOURCE = AttributeKey.valueOf("portcullis.proxySource");

    public ConnectionFacts {
        requireNonNull(certificate, "certificate");
        requireNonNull(clientCertificate, "clientCertificate");
        clientChain = List.copyOf(clientChain);
    }

    /** Facts before any client certificate was asked for. */
    public ConnectionFacts(boolean tls, Optional<ServerCertificate> certificate) {
        this(tls, certificate, Optional.empty(), List.of());
    }

    /** These facts with the verdict on the client's certificate. */
    public ConnectionFacts withClientCertificate(ClientCertificateVerdict verdict) {
        return withClientCertificate(verdict, List.of());
    }

    /** These facts with the verdict on the client's certificate and the chain it was given on. */
    public ConnectionFacts withClientCertificate(ClientCertificateVerdict verdict, List<X509Certificate> chain) {
        return new ConnectionFacts(tls, certificate, Optional.of(verdict), chain);
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
