package dev.portcullis.proxy.exchange;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
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
    private final RequestContext rc;
    private final AnswerRecorder recorder;
    private boolean requestComplete;
    private boolean keepAlive;
    private long drained;
    private ChannelFuture written;

    private LocalReply(Downstream downstream, RequestContext rc, AnswerRecorder recorder) {
        this.downstream = downstream;
        this.rc = rc;
        this.recorder = recorder;
    }

    /**
     * Sets the top-level {@code set_response_headers} on a response the proxy made itself, leaving
     * any its page already chose (a page's own, stricter {@code X-Frame-Options}, say).
     */
    static void addResponseHeaders(HttpHeaders headers, RequestContext rc) {
        rc.responseHeaders().forEach((name, value) -> {
            if (!headers.contains(name)) {
                headers.set(name, value);
            }
        });
    }

    /**
     * Sends {@code response} for the request. With {@code close} the connection closes after it
     * (used when the request itself cannot be trusted, e.g. malformed framing).
     */
    static LocalReply send(Downstream downstream, RequestContext rc, FullHttpResponse response, boolean close,
            AnswerRecorder recorder) {
        return send(downstream, rc, response, close, false, recorder);
    }

    /**
     * Sends {@code response} for a request whose body was already read whole ({@code bodyRead}),
     * so nothing is left to drain.
     */
    static LocalReply send(Downstream downstream, RequestContext rc, FullHttpResponse response, boolean close,
            boolean bodyRead, AnswerRecorder recorder) {
        LocalReply reply = new LocalReply(downstream, rc, recorder);
        rc.responseCookies().forEach(cookie -> response.headers().add(HttpHeaderNames.SET_COOKIE, cookie));
        addResponseHeaders(response.headers(), rc);
        downstream.attach(reply);
        reply.keepAlive = !close && HttpUtil.isKeepAlive(rc.request());
        if (!reply.keepAlive && !downstream.http2()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        rc.status(response.status().code());
        rc.addBytesOut(response.content().readableBytes());
        reply.written = downstream.ctx().writeAndFlush(response);
        if (close) {
            reply.finish(false);
        } else if (bodyRead) {
            reply.finish(reply.keepAlive);
        } else {
            downstream.readMore();
        }
        return reply;
    }

    @Override
    public void onRequestContent(HttpContent content) {
        drained += content.content().readableBytes();
        rc.addBytesIn(content.content().readableBytes());
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
        recorder.record(rc);
        downstream.finish(written, reusable);
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
