package dev.portcullis.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.pool.ChannelPool;

/**
 * One request's use of an upstream connection: a pooled HTTP/1.1 connection, a stream of a
 * shared cleartext HTTP/2 connection, or a dedicated connection (for upgrades). The request
 * binds itself to receive the response and ends its use with {@link #release()} (the
 * connection may serve another request) or {@link #discard()} (it may not).
 */
public final class UpstreamConnection {
    private final Channel channel;
    private final ChannelPool pool;
    private final boolean reused;
    private boolean ended;

    UpstreamConnection(Channel channel, ChannelPool pool, boolean reused) {
        this.channel = channel;
        this.pool = pool;
        this.reused = reused;
    }

    public Channel channel() {
        return channel;
    }

    /** Whether the connection served an earlier request (it may have been closed by the upstream meanwhile). */
    public boolean reused() {
        return reused;
    }

    /** Routes what the connection receives to {@code listener} until released or discarded. */
    public void bind(UpstreamListener listener) {
        UpstreamRelay relay = relay();
        if (relay == null) {
            throw new IllegalStateException("the upstream connection has no relay");
        }
        relay.bind(listener);
    }

    /** The exchange completed cleanly: the connection may serve the next request. */
    public void release() {
        if (ended) return;
        ended = true;
        unbindRelay();
        if (pool != null && channel.isActive()) {
            channel.config().setAutoRead(true);
            pool.release(channel);
        } else {
            channel.close();
        }
    }

    /** The exchange did not complete cleanly: close the connection (or reset the stream). */
    public void discard() {
        if (ended) return;
        ended = true;
        unbindRelay();
        channel.close();
        if (pool != null) {
            pool.release(channel);
        }
    }

    private void unbindRelay() {
        UpstreamRelay relay = relay();
        if (relay != null) {
            relay.unbind();
        }
    }

    private UpstreamRelay relay() {
        return (UpstreamRelay) channel.pipeline().get(dev.portcullis.proxy.transport.HandlerNames.UPSTREAM_RELAY);
    }
}
