package dev.portcullis.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * On a plain-HTTP listener, tells HTTP/2 with prior knowledge (its connection preface,
 * RFC 9113 §3.4) from HTTP/1.1 by the first bytes, then installs the matching handlers and
 * steps aside; the bytes read so far go to them.
 */
final class CleartextProtocolDetector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final HttpPipelines pipelines;

    CleartextProtocolDetector(HttpPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
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
}
