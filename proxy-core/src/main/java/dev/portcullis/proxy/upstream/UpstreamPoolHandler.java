package dev.portcullis.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.util.AttributeKey;

/** Sets up pooled connections and records whether each one is in the pool or in use. */
final class UpstreamPoolHandler extends AbstractChannelPoolHandler {
    static final AttributeKey<Boolean> IN_POOL = AttributeKey.valueOf("portcullis.upstream.inPool");
    private final ChannelHandler initializer;

    UpstreamPoolHandler(ChannelHandler initializer) {
        this.initializer = initializer;
    }

    @Override
    public void channelCreated(Channel ch) {
        ch.pipeline().addLast(initializer);
    }

    @Override
    public void channelAcquired(Channel ch) {
        ch.attr(IN_POOL).set(Boolean.FALSE);
    }

    @Override
    public void channelReleased(Channel ch) {
        ch.attr(IN_POOL).set(Boolean.TRUE);
    }
}
