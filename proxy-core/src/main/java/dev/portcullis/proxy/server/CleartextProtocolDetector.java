package dev.portcullis.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.time.Duration;
import java.util.List;

/**
 * On a plain-HTTP listener, tells HTTP/2 with prior knowledge (its connection preface,
 * RFC 9113 §3.4) from HTTP/1.1 by the first bytes, then installs the matching handlers and
 * steps aside; the bytes read so far go to them. The bytes that decide must arrive within
 * {@code timeout_read} of the first, else the connection is closed (a client trickling the
 * preface would otherwise be held here, before any other deadline applies).
 */
final class CleartextProtocolDetector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final HttpPipelines pipelines;
    private final ReadDeadline deadline;

    CleartextProtocolDetector(HttpPipelines pipelines) {
        this.pipelines = pipelines;
        Duration timeout = pipelines.readTimeout();
        this.deadline = timeout.isZero() ? null : new ReadDeadline(timeout);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (deadline != null && !deadline.isRunning()) {
            deadline.start(ctx, "protocol of the connection");
        }
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean prefixMatches = ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), length);
        if (prefixMatches && length < PREFACE.readableBytes()) {
            return;
        }
        if (prefixMatches) {
            pipelines.addHttp2Handlers(ctx.channel());
        } else {
            pipelines.addHttp1Handlers(ctx.channel());
        }
        ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel();
        }
    }
}
