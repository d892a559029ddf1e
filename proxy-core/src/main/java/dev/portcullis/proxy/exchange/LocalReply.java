package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.stage.Exchange;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * An answer the proxy gives itself (health check, error page, redirect, fixed response). The
 * response is written at once; the rest of the request body is then read and discarded, up to
 * {@link #DRAIN_LIMIT} bytes, so that the connection can serve the next request. A longer body
 * is not worth reading: the connection is closed instead.
 */
final class LocalReply implements InFlight {
    static final long DRAIN_LIMIT = 1 << 20;

    private final Downstream downstream;
    private final Exchange exchange;
    private final ExchangeServices services;
    private boolean requestComplete;
    private boolean reported;
    private boolean keepAlive;
    private long drained;
    private ChannelFuture written;

    private LocalReply(Downstream downstream, Exchange exchange, ExchangeServices services) {
        this.downstream = downstream;
        this.exchange = exchange;
        this.services = services;
    }

    /**
     * Sends {@code response} for the request. With {@code close} the connection closes after it
     * (used when the request itself cannot be trusted, e.g. malformed framing). When a stage read
     * the body whole, nothing is left to drain.
     */
    static void send(Downstream downstream, Exchange exchange, FullHttpResponse response, boolean close,
            ExchangeServices services) {
        LocalReply reply = new LocalReply(downstream, exchange, services);
        downstream.attach(reply);
        reply.keepAlive = !close && downstream.clientKeepsAlive();
        if (!reply.keepAlive && !downstream.http2()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        exchange.status(response.status().code());
        exchange.addBytesOut(response.content().readableBytes());
        if (close || exchange.bodyRead() || !downstream.hasBody()) {
            // Nothing more of the request counts: reported before the answer leaves, so that a
            // client that has it finds it logged and counted.
            reply.report();
        }
        reply.written = downstream.writeAndFlush(response);
        if (close) {
            reply.finish(false);
        } else if (exchange.bodyRead()) {
            reply.finish(reply.keepAlive);
        } else {
            downstream.readMore();
        }
    }

    @Override
    public void onRequestContent(HttpContent content) {
        drained += content.content().readableBytes();
        exchange.addBytesIn(content.content().readableBytes());
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (requestComplete) {
            return;
        }
        if (last) {
            requestComplete = true;
            finish(keepAlive);
        } else if (drained > DRAIN_LIMIT) {
            finish(false);
        } else {
            downstream.readMore();
        }
    }

    private void finish(boolean reusable) {
        requestComplete = true;
        report();
        downstream.finish(written, reusable);
    }

    private void report() {
        if (!reported) {
            reported = true;
            services.report(exchange);
        }
    }

    /** The answer is already written: the connection closes after it, as it cannot carry another request. */
    @Override
    public void onRequestFailed() {
        if (!requestComplete) {
            finish(false);
        }
    }

    @Override
    public void onDownstreamWritabilityChanged() {
        // The whole answer is already written; nothing waits for writability.
    }

    @Override
    public void onDownstreamClosed() {
        if (!requestComplete) {
            finish(false);
        }
    }
}
