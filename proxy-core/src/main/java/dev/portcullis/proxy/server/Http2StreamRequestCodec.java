package dev.portcullis.proxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.List;

/**
 * One HTTP/2 stream's frames as HTTP/1-style messages (Netty's conversion), except that a request
 * header block the conversion refuses — {@code :authority} and {@code host} naming different hosts
 * (RFC 9113 §8.3.1), a missing {@code :method} or {@code :path} — becomes a request head that failed
 * to decode, so that the client gets the proxy's 400 page with a request id instead of a stream
 * reset with no word of what was wrong.
 */
final class Http2StreamRequestCodec extends Http2StreamFrameToHttpObjectCodec {
    Http2StreamRequestCodec() {
        super(true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) throws Exception {
        try {
            super.decode(ctx, frame, out);
        } catch (Http2Exception e) {
            if (!(frame instanceof Http2HeadersFrame)) {
                throw e;
            }
            HttpRequest unreadable = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            unreadable.setDecoderResult(DecoderResult.failure(e));
            out.add(unreadable);
        }
    }
}
