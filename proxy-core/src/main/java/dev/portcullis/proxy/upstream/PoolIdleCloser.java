package dev.portcullis.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a pooled connection that stayed unused in the pool for {@link UpstreamConnector#POOL_IDLE};
 * a connection in use is never closed for idleness here (the route's {@code idle_timeout} governs that).
 */
final class PoolIdleCloser extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent
                && Boolean.TRUE.equals(ctx.channel().attr(UpstreamPoolHandler.IN_POOL).get())) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }
}
