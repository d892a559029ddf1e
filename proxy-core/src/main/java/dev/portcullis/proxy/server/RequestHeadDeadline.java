package dev.portcullis.proxy.server;


import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;

/**
 * {@code timeout_read} for the head of each request on an HTTP/1.1 connection: the request line
 * and headers must be complete within it from their first byte, however slowly they trickle in (a
 * client sending a byte a second would otherwise hold the connection, and the memory of its partial
 * head, for as long as it likes). When it passes, the connection is closed without an answer.
 *
 * <p>One deadline, two handlers around the codec: {@link #bytesWatcher()} (before it) starts the
 * deadline on the first byte read while no request is open; {@link #headWatcher()} (after it) ends
 * it once the head is decoded, and notes when a request's last part has been decoded, which makes
 * the next byte the first of a new head. Bytes read while a request is open (its body, perhaps with
 * the start of a pipelined head behind it) start nothing: the request's own deadline covers them,
 * and a pipelined head's deadline starts with the first bytes read once the proxy reads again.
 */
final class RequestHeadDeadline {

    private final ReadDeadline deadline;
    private boolean requestOpen;

    /** @param timeout {@code timeout_read}; greater than zero */
    RequestHeadDeadline(Duration timeout) {
        this.deadline = new ReadDeadline(timeout);
    }

    /** The handler to place before the HTTP codec. */
    ChannelHandler bytesWatcher() {
        return new BytesWatcher();
    }

    /** The handler to place right after the HTTP codec. */
    ChannelHandler headWatcher() {
        return new HeadWatcher();
    }


    private final class BytesWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!requestOpen && !deadline.isRunning() && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                deadline.start(ctx, "request head");
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            deadline.cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            deadline.cancel();
        }
    }

    private final class HeadWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                deadline.cancel();
                requestOpen = !(msg instanceof LastHttpContent);
            } else if (msg instanceof LastHttpContent) {
                requestOpen = false;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
