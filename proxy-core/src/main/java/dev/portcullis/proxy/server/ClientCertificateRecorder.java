package dev.portcullis.proxy.server;

import dev.portcullis.proxy.tls.ConnectionFacts;
import dev.portcullis.proxy.tls.ClientCertificateVerdict;
import dev.portcullis.proxy.tls.ClientCertificateVerifier;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a successful TLS handshake, judges the certificate the client presented (none is a verdict too) and
 * records the verdict in the connection's {@link ConnectionFacts}, where every request on the connection, HTTP/1.1
 * or HTTP/2 stream, finds it for the policy. Then steps out of the pipeline. Sends nothing itself.
 */
final class ClientCertificateRecorder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientCertificateRecorder.class);

    private final ClientCertificateVerifier verifier;

    ClientCertificateRecorder(ClientCertificateVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                record(ctx);
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void record(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        X509Certificate[] chain = ssl == null ? new X509Certificate[0] : peerChain(ssl);
        ClientCertificateVerdict verdict = verifier.verify(chain);
        if (!verdict.valid()) {
            log.debug("connection from {}: client certificate not valid: {}", ctx.channel().remoteAddress(), verdict.reason());
        }
        ConnectionFacts facts = ctx.channel().attr(ConnectionFacts.KEY).get();
        ConnectionFacts known = facts != null ? facts : new ConnectionFacts(true, Optional.empty());
        ctx.channel().attr(ConnectionFacts.KEY).set(known.withClientCertificate(verdict, Arrays.asList(chain)));
    }

    /** The client's chain, client certificate first; empty when it presented none. */
    private static X509Certificate[] peerChain(SslHandler ssl) {
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return Arrays.stream(chain).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return new X509Certificate[0];
        }
    }
}
