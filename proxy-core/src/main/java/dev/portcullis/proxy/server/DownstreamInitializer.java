package dev.portcullis.proxy.server;

import dev.portcullis.proxy.transport.HandlerNames;
import dev.portcullis.proxy.acme.ChallengeResponses;
import dev.portcullis.proxy.tls.ConnectionFacts;
import dev.portcullis.proxy.tls.CertificateSet;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sets up each accepted connection. Reads like a table of contents: timeouts, then (with
 * {@code use_proxy_protocol}) the PROXY protocol header, then TLS (or cleartext protocol detection), then
 * the HTTP handlers chosen once the protocol is known.
 */
final class DownstreamInitializer extends ChannelInitializer<SocketChannel> {
    private final HttpPipelines pipelines;
    /** With TLS: the certificates of the configuration served now (a reload swaps them for new connections). */
    private final Optional<ServedCertificates> certificates;
    private final Duration idleTimeout;
    /** With {@code autocert}: the TLS-ALPN-01 challenges under way. */
    private final Optional<ChallengeResponses> challenges;
    /** With {@code use_proxy_protocol}: how long the PROXY header may take; empty when the option is off. */
    private final Optional<Duration> proxyProtocolDeadline;

    DownstreamInitializer(HttpPipelines pipelines, Optional<ServedCertificates> certificates, Duration idleTimeout,
            Optional<ChallengeResponses> challenges, Optional<Duration> proxyProtocolDeadline) {
        this.pipelines = pipelines;
        this.proxyProtocolDeadline = proxyProtocolDeadline;
        this.challenges = challenges;
        this.certificates = certificates;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        addTimeoutHandlers(ch);
        if (proxyProtocolDeadline.isPresent()) {
            addProxyProtocolHandlers(ch, proxyProtocolDeadline.get());
        } else {
            addProtocolHandlers(ch);
        }
    }

    /**
     * The PROXY protocol header first; once it is read, {@link ProxyProtocolReceiver} adds the protocol handlers.
     * Without the option nothing decodes it, so a connection beginning with {@code PROXY } is an HTTP/1.1 request
     * with a malformed request line (400), or a failed TLS handshake.
     */
    private void addProxyProtocolHandlers(Channel ch, Duration deadline) {
        ch.pipeline().addLast(HandlerNames.PROXY_PROTOCOL, new HAProxyMessageDecoder());
        ch.pipeline().addLast(HandlerNames.PROXY_PROTOCOL_SOURCE, new ProxyProtocolReceiver(deadline,
                this::addProtocolHandlers));
    }

    private void addProtocolHandlers(Channel ch) {
        if (certificates.isPresent()) {
            addTlsHandlers(ch, certificates.get().get());
        } else {
            ch.attr(ConnectionFacts.KEY).set(new ConnectionFacts(false, Optional.empty()));
            ch.pipeline().addLast(HandlerNames.CLEARTEXT_PROTOCOL, new CleartextProtocolDetector(pipelines));
        }
    }

    private void addTimeoutHandlers(SocketChannel ch) {
        if (!idleTimeout.isZero()) {
            ch.pipeline().addLast(HandlerNames.CONNECTION_IDLE,
                    new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
            ch.pipeline().addLast(new CloseIdleConnection());
        }
    }

    private void addTlsHandlers(Channel ch, CertificateSet set) {
        ch.pipeline().addLast(HandlerNames.SNI, new CertificateSelectingSniHandler(set, challenges));
        set.clientCertificates().ifPresent(verifier ->
                ch.pipeline().addLast(HandlerNames.CLIENT_CERTIFICATE, new ClientCertificateRecorder(verifier)));
        ch.pipeline().addLast(HandlerNames.ALPN, new AlpnProtocolSelector(pipelines));
    }

    /** {@code timeout_idle}: a connection with no bytes either way for that long is closed. */
    private static final class CloseIdleConnection extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }
}
