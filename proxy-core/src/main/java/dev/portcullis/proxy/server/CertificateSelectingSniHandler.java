package dev.portcullis.proxy.server;

import dev.portcullis.proxy.exchange.ConnectionFacts;
import dev.portcullis.proxy.tls.CertificateSet;
import dev.portcullis.proxy.tls.ServerCertificate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * Chooses the certificate by the client's SNI name and records it on the connection, so that
 * each HTTP/2 stream can be checked against it: a browser reuses a connection for every host
 * its certificate covers, and a stream for a host it does not cover gets 421.
 */
final class CertificateSelectingSniHandler extends SniHandler {
    private final CertificateSet certificates;

    CertificateSelectingSniHandler(CertificateSet certificates) {
        super(name -> certificates.map(name).context());
        this.certificates = certificates;
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
        // Without SNI (a client that connected by IP address) there is no name the connection was
        // opened for, so nothing to hold a request's host against; likewise for the generated certificate.
        ServerCertificate chosen = certificates.map(hostname);
        Optional<ServerCertificate> checked = hostname == null || certificates.selfSigned()
                ? Optional.empty() : Optional.of(chosen);
        ctx.channel().attr(ConnectionFacts.KEY).set(new ConnectionFacts(true, checked));
        super.replaceHandler(ctx, hostname, sslContext);
    }
}
