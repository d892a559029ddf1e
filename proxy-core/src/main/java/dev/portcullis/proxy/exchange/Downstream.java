package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.transport.HandlerNames;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * One request's side of its client connection (an HTTP/1.1 connection or an HTTP/2 stream), the
 * only way to it for what answers the request: write the answer, ask for the next part of the
 * request, hand the connection back when done, or turn it into a tunnel. Reading is explicit
 * (auto-read is off): nothing is read from the client that the proxy is not ready to pass on.
 */
final class Downstream {
    private final ChannelHandlerContext ctx;
    private final ProxyRequestHandler handler;
    private final HttpRequest head;
    private final boolean http2;
    private boolean finished;

    Downstream(ChannelHandlerContext ctx, ProxyRequestHandler handler, HttpRequest head, boolean http2) {
        this.ctx = ctx;
        this.handler = handler;
        this.head = head;
        this.http2 = http2;
    }

    /** The request line and the headers that may reach an upstream (the trust boundary removed the rest). */
    HttpRequest head() {
        return head;
    }

    boolean http2() {
        return http2;
    }

    /** Whether the client asked to keep the connection for another request. */
    boolean clientKeepsAlive() {
        return HttpUtil.isKeepAlive(head);
    }

    /** Whether the request has a body to read (HTTP/2: unless its length is declared zero). */
    boolean hasBody() {
        if (HttpUtil.isTransferEncodingChunked(head)) {
            return true;
        }
        long length = HttpUtil.getContentLength(head, -1L);
        return length > 0 || (http2 && length < 0);
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    ChannelFuture write(Object message) {
        return ctx.write(message);
    }

    ChannelFuture writeAndFlush(Object message) {
        return ctx.writeAndFlush(message);
    }

    void flush() {
        ctx.flush();
    }

    /** Makes {@code inFlight} the receiver of the rest of the request; call before the first read. */
    void attach(InFlight inFlight) {
        handler.attach(inFlight);
    }

    /** Passes a held part of the request body to the attached stage. */
    void deliver(HttpContent content) {
        handler.deliver(content);
    }

    /** Ask for the next message of the request. */
    void readMore() {
        handler.readMore();
    }

    /**
     * Whether a part of the request body failed to decode (RFC 9112 framing): the request cannot be
     * passed on or answered as if complete, and the connection cannot carry another request.
     */
    boolean requestFailed() {
        return handler.requestFailed();
    }

    boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /**
     * The answer is complete. With {@code reusable} the connection waits for the next request;
     * otherwise it closes once {@code lastWrite} is on the wire.
     */
    void finish(ChannelFuture lastWrite, boolean reusable) {
        if (finished) return;
        finished = true;
        handler.onExchangeFinished(lastWrite, reusable && !http2);
    }

    /** Whether the exchange is over on this side: answered, aborted, or the client gone. */
    boolean isDone() {
        return finished;
    }

    /** Close at once, e.g. because a response could not be completed. */
    void abort() {
        if (!finished) {
            finished = true;
            handler.onExchangeFinished(null, false);
        }
        ctx.close();
    }

    /**
     * The connection stops being HTTP (a WebSocket tunnel takes it over): the HTTP handlers leave
     * the pipeline and {@code relay} takes their place; whatever bytes the decoder still holds go to
     * it. Returns the client channel, for what watches the tunnel.
     */
    Channel becomeTunnel(ByteRelay relay) {
        finished = true;
        handler.onExchangeFinished(null, false, true);
        ChannelPipeline pipeline = ctx.pipeline();
        Channel client = ctx.channel();
        pipeline.addLast(HandlerNames.BYTE_RELAY, relay);
        pipeline.remove(HandlerNames.EXPECT_CONTINUE);
        pipeline.remove(HandlerNames.TRUST_BOUNDARY);
        pipeline.remove(HandlerNames.PROXY);
        pipeline.remove(HandlerNames.HTTP_CODEC);
        for (String deadline : new String[] {HandlerNames.REQUEST_HEAD_DEADLINE, HandlerNames.REQUEST_HEAD_RECEIVED}) {
            if (pipeline.get(deadline) != null) {
                pipeline.remove(deadline);
            }
        }
        return client;
    }

    /**
     * As {@link #becomeTunnel}, for a TCP route's tunnel: the connection's {@code timeout_idle} no
     * longer applies (an SSH session may be silent for hours, and Pomerium does not close a connection
     * while a stream is open on it); the tunnel's own idle timeout, the route's, takes its place.
     */
    Channel becomeTcpTunnel(ByteRelay relay) {
        Channel client = becomeTunnel(relay);
        if (ctx.pipeline().get(HandlerNames.CONNECTION_IDLE) != null) {
            ctx.pipeline().remove(HandlerNames.CONNECTION_IDLE);
        }
        return client;
    }
}
