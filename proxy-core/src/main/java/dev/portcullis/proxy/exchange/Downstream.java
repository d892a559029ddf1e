package dev.portcullis.proxy.exchange;

import io.netty.channel.ChannelFuture;
import dev.portcullis.proxy.server.HandlerNames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;

/**
 * The client side of an exchange as the stages see it: write the answer, ask for the next part
 * of the request, and hand the connection back when done. Reading is explicit (auto-read is
 * off): nothing is read from the client that the proxy is not ready to pass on.
 */
final class Downstream {
    private final ChannelHandlerContext ctx;
    private final ProxyRequestHandler handler;
    private final boolean http2;
    private boolean finished;

    Downstream(ChannelHandlerContext ctx, ProxyRequestHandler handler, boolean http2) {
        this.ctx = ctx;
        this.handler = handler;
        this.http2 = http2;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    boolean http2() {
        return http2;
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
        ctx.read();
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

    /** Close at once, e.g. because a response could not be completed. */
    void abort() {
        if (!finished) {
            finished = true;
            handler.onExchangeFinished(null, false);
        }
        ctx.close();
    }

    /**
     * The connection stops being HTTP (a WebSocket tunnel takes it over): the HTTP handlers
     * leave the pipeline; whatever bytes the decoder still holds go to the handler added after them.
     */
    void detachFromPipeline() {
        finished = true;
        handler.onExchangeFinished(null, false, true);
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(HandlerNames.EXPECT_CONTINUE);
        pipeline.remove(HandlerNames.TRUST_BOUNDARY);
        pipeline.remove(HandlerNames.PROXY);
        pipeline.remove(HandlerNames.HTTP_CODEC);
    }
}
