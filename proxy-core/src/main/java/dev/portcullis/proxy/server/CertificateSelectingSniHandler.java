package dev.portcullis.proxy.server;

import dev.portcullis.proxy.acme.ChallengeResponses;
import dev.portcullis.proxy.acme.ClientHelloInspector;
import dev.portcullis.proxy.tls.ConnectionFacts;
import dev.portcullis.proxy.tls.CertificateSet;
import dev.portcullis.proxy.tls.ServerCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.util.Optional;

/**
 * Chooses the certificate by the client's SNI name and records it on the connection, so that
 * each HTTP/2 stream can be checked against it: a browser reuses a connection for every host
 * its certificate covers, and a stream for a host it does not cover gets 421.
 */
final class CertificateSelectingSniHandler extends SniHandler {
    private static final long CLIENT_HELLO_TIMEOUT_MILLIS = 10_000;

    private final CertificateSet certificates;
    private final Optional<ChallengeResponses> challenges;

    /**
     * @param challenges with {@code autocert}: the TLS-ALPN-01 challenges under way; a ClientHello
     *                   offering ALPN {@code acme-tls/1} for a name being validated gets its
     *                   validation certificate (and nothing more: the connection closes after the handshake)
     */
    CertificateSelectingSniHandler(CertificateSet certificates, Optional<ChallengeResponses> challenges) {
        // The ClientHello must arrive within the same 10 s as the rest of the handshake (SslHandler's
        // default): without a bound here, a ClientHello trickled in a byte at a time held the connection.
        super(name -> certificates.map(name).context(), CLIENT_HELLO_TIMEOUT_MILLIS);
        this.certificates = certificates;
        this.challenges = challenges;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        if (challenges.isPresent() && !challenges.get().isEmpty() && clientHello != null) {
            ClientHelloInspector.Hello hello = ClientHelloInspector.inspect(clientHello);
            if (hello.offersAcmeTls1()) {
                Optional<SslContext> validation = hello.serverName().flatMap(challenges.get()::tlsAlpn01);
                if (validation.isPresent()) {
                    return ctx.executor().newSucceededFuture(validation.get());
                }
            }
        }
        return super.lookup(ctx, clientHello);
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
