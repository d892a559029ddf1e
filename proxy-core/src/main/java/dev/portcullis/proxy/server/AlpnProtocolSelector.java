package dev.portcullis.proxy.server;

import dev.portcullis.proxy.acme.ChallengeResponses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After the TLS handshake, installs HTTP/2 or HTTP/1.1 handlers as ALPN decided (HTTP/1.1 without ALPN). */
final class AlpnProtocolSelector extends ApplicationProtocolNegotiationHandler {
    private final HttpPipelines pipelines;

    AlpnProtocolSelector(HttpPipelines pipelines) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.pipelines = pipelines;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ChallengeResponses.ACME_TLS_1.equals(protocol)) {
            ctx.close(); // a TLS-ALPN-01 validation: the handshake was the whole answer
        } else if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            pipelines.addHttp2Handlers(ctx.channel());
        } else {
            pipelines.addHttp1Handlers(ctx.channel());
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
