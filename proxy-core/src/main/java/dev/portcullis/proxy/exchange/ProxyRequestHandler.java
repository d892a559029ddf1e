package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.tls.ConnectionFacts;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a downstream HTTP/1.1 connection or HTTP/2 stream: hands each request to
 * the {@link StepCarrier} and the parts of its body to the request's {@link InFlight}, one request at a
 * time. Auto-read is off; a read is requested only when the current stage can take more, or
 * once the previous request is fully answered (HTTP/1.1 keep-alive). One socket read may decode
 * into several messages; everything decoded after the current request's last part (pipelined
 * requests behind it, RFC 9112 §9.3.2) waits its turn here, in order, and no more is read from the
 * socket while anything waits, so at most one read's worth is ever held. Each pipelined request is
 * thus answered in order; when an answer closes the connection ({@code Connection: close}, an
 * error that leaves the connection unusable), the requests behind it are dropped unanswered.
 *
 * <p>A body part that failed to decode (a malformed chunk size or chunk end, RFC 9112 §7.1) ends
 * the request as failed, never as complete: the attached stage learns it through
 * {@link InFlight#onRequestFailed}, and nothing more is read from the connection.
 */
public final class ProxyRequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyRequestHandler.class);

    private final StepCarrier carrier;
    private final InFlightRequests inFlightRequests;
    private final boolean http2;
    private final Duration readTimeout;
    private ScheduledFuture<?> readDeadline;
    private final ArrayDeque<Object> deferred = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private InFlight current;
    /** Between a request head being handed on and its answer being complete. */
    private boolean exchangeOpen;
    /** The open exchange's request has been read to its last part (or failed): what follows is another request's. */
    private boolean requestRead;
    private boolean requestFailed;
    private boolean draining;

    /**
     * @param readTimeout {@code timeout_read}: the longest a whole request may take to arrive;
     *                    zero for none. When it passes the connection (or stream) is closed.
     */
    public ProxyRequestHandler(StepCarrier carrier, InFlightRequests inFlightRequests, boolean http2,
            Duration readTimeout) {
        this.carrier = carrier;
        this.inFlightRequests = inFlightRequests;
        this.http2 = http2;
        this.readTimeout = readTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining || !deferred.isEmpty() || belongsToALaterRequest(msg)) {
            deferred.add(msg);
            return;
        }
        dispatch(msg);
    }

    private boolean belongsToALaterRequest(Object msg) {
        return exchangeOpen && (requestRead || msg instanceof TrustedRequest);
    }

    private void dispatch(Object msg) {
        if (msg instanceof TrustedRequest request) {
            exchangeOpen = true;
            requestRead = false;
            requestFailed = false;
            inFlightRequests.started();
            startReadDeadline();
            carrier.begin(new Downstream(ctx, this, request.head(), http2), request, ConnectionFacts.of(ctx.channel()));
        } else if (msg instanceof HttpContent content) {
            deliver(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    void deliver(HttpContent content) {
        boolean failed = content.decoderResult().isFailure();
        if (content instanceof LastHttpContent || failed) {
            requestRead = true;
            cancelReadDeadline();
        }
        if (failed) {
            requestFailed = true;
            Throwable cause = content.decoderResult().cause();
            content.release();
            log.info("request body not readable ({}); the request fails and the connection closes", cause.toString());
            if (current != null) {
                current.onRequestFailed();
            }
            return;
        }
        if (current != null) {
            current.onRequestContent(content);
        } else {
            content.release();
        }
    }

    /** Whether the request's body failed to decode: it must be refused, never passed on as complete. */
    boolean requestFailed() {
        return requestFailed;
    }

    /**
     * Asks for the next part of the current request. Nothing is read from the socket while messages
     * of later requests wait their turn: the current request has been read whole already.
     */
    void readMore() {
        if (deferred.isEmpty() && !requestFailed) {
            ctx.read();
        }
    }

    private void cancelReadDeadline() {
        if (readDeadline != null) {
            readDeadline.cancel(false);
            readDeadline = null;
        }
    }

    private void startReadDeadline() {
        if (!readTimeout.isZero()) {
            readDeadline = ctx.executor().schedule(() -> {
                log.info("request not received within timeout_read ({}); closing the connection", readTimeout);
                ctx.close();
            }, readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Called by a stage before it asks for the first part of the body. */
    void attach(InFlight inFlight) {
        this.current = inFlight;
    }

    void onExchangeFinished(ChannelFuture lastWrite, boolean reusable) {
        onExchangeFinished(lastWrite, reusable, false);
    }

    void onExchangeFinished(ChannelFuture lastWrite, boolean reusable, boolean detach) {
        current = null;
        exchangeOpen = false;
        inFlightRequests.finished();
        if (detach) {
            releaseDeferred();
            return;
        }
        if (!reusable || requestFailed || !ctx.channel().isActive()) {
            releaseDeferred();
            if (lastWrite != null) {
                lastWrite.addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return;
        }
        if (!draining) {
            drainDeferred();
        }
    }

    private void drainDeferred() {
        draining = true;
        try {
            while (!deferred.isEmpty()) {
                if (belongsToALaterRequest(deferred.peek())) {
                    return;
                }
                dispatch(deferred.poll());
            }
        } finally {
            draining = false;
        }
        if (!exchangeOpen && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void releaseDeferred() {
        while (!deferred.isEmpty()) {
            ReferenceCountUtil.release(deferred.poll());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.onDownstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelReadDeadline();
        releaseDeferred();
        if (current != null) {
            current.onDownstreamClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelReadDeadline();
        releaseDeferred();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection failed: {}", cause.toString());
        ctx.close();
    }
}
