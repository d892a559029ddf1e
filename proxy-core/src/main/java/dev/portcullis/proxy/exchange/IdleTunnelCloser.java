package dev.portcullis.proxy.exchange;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a TCP tunnel's upstream connection when its {@code IdleStateHandler} reports that the
 * route's {@code idle_timeout} passed without a byte either way; the relay then closes the client's.
 */
final class IdleTunnelCloser extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(IdleTunnelCloser.class);

    private final String requestId;
    private final Duration idleTimeout;

    IdleTunnelCloser(String requestId, Duration idleTimeout) {
        this.requestId = requestId;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.info("tunnel {}: closed after idle_timeout ({}) without a byte either way", requestId, idleTimeout);
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }
}
