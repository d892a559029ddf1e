package dev.portcullis.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One direction of a two-way byte pipe after a protocol switch (WebSocket), as in Netty's
 * HexDumpProxy: the next read happens only after the peer accepted the last write, so a slow
 * side slows the other instead of filling memory. Bytes that arrive while the pipelines are
 * being rebuilt are held until {@link #start()}. Either side closing closes the other once its
 * pending writes are flushed.
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean started;

    ByteRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Both pipelines are ready: pass on what was held and start reading. */
    void start() {
        started = true;
        while (!held.isEmpty()) {
            peer.write(held.poll());
        }
        peer.flush();
        if (ctx.channel().isActive()) {
            ctx.read();
        } else {
            closePeer();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            ctx.read();
            return;
        }
        if (!started) {
            held.add(bytes);
            return;
        }
        peer.writeAndFlush(bytes).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ctx.read();
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closePeer();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    private void closePeer() {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
