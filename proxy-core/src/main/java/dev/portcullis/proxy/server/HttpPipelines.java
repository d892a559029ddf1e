package dev.portcullis.proxy.server;

import dev.portcullis.proxy.transport.HandlerNames;
import dev.portcullis.proxy.exchange.InFlightRequests;
import dev.portcullis.proxy.exchange.ProxyRequestHandler;
import dev.portcullis.proxy.stage.ProxySnapshot;
import dev.portcullis.proxy.exchange.TrustBoundary;
import dev.portcullis.proxy.exchange.StepCarrier;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The HTTP layer of a downstream connection, once its protocol is known: HTTP/1.1 on the
 * connection itself, or HTTP/2 with one child channel per stream. Both end in the same
 * {@link ProxyRequestHandler}, which sees HTTP/1-style messages either way.
 *
 * <p>Deadlines ({@code timeout_read}): an HTTP/1.1 request head must be complete within it from its
 * first byte ({@link RequestHeadDeadline}), and the whole request from its head
 * ({@link ProxyRequestHandler}); on HTTP/2, the preface, each frame and each header block from
 * their first byte ({@link Http2FrameDeadline}).
 *
 * <p>Limits: a request line of at most {@value #MAX_INITIAL_LINE} bytes (else 414) and headers
 * of at most {@value #MAX_HEADER_SIZE} bytes (else 431). Framing is parsed strictly (RFC 9112):
 * a request with both {@code Content-Length} and {@code Transfer-Encoding}, or conflicting
 * lengths, a {@code Transfer-Encoding} other than one final {@code chunked}, or a chunk size or
 * chunk end that is not exactly as RFC 9112 §7.1 has it, is refused with 400 and the connection
 * closed, since a guess could let a second request hide inside the first.
 */
final class HttpPipelines {
    static final int MAX_INITIAL_LINE = 16 * 1024;
    static final int MAX_HEADER_SIZE = 64 * 1024;

    private final Supplier<ProxySnapshot> snapshots;
    private final StepCarrier carrier;
    private final InFlightRequests inFlightRequests;
    private final Duration readTimeout;

    HttpPipelines(Supplier<ProxySnapshot> snapshots, StepCarrier carrier, InFlightRequests inFlightRequests,
            Duration readTimeout) {
        this.snapshots = snapshots;
        this.carrier = carrier;
        this.inFlightRequests = inFlightRequests;
        this.readTimeout = readTimeout;
    }

    void addHttp1Handlers(Channel channel) {
        channel.config().setAutoRead(false);
        ChannelPipeline p = channel.pipeline();
        RequestHeadDeadline headDeadline = readTimeout.isZero() ? null : new RequestHeadDeadline(readTimeout);
        if (headDeadline != null) {
            p.addLast(HandlerNames.REQUEST_HEAD_DEADLINE, headDeadline.bytesWatcher());
        }
        p.addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false)));
        if (headDeadline != null) {
            p.addLast(HandlerNames.REQUEST_HEAD_RECEIVED, headDeadline.headWatcher());
        }
        addRequestHandlers(p, false);
    }

    /** {@code timeout_read}; zero for none. */
    Duration readTimeout() {
        return readTimeout;
    }

    void addHttp2Handlers(Channel channel) {
        ChannelPipeline p = channel.pipeline();
        if (!readTimeout.isZero()) {
            p.addLast(HandlerNames.HTTP2_FRAME_DEADLINE, new Http2FrameDeadline(readTimeout));
        }
        p.addLast(HandlerNames.HTTP2_CODEC, Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(MAX_HEADER_SIZE))
                .validateHeaders(true)
                .build());
        p.addLast(HandlerNames.HTTP2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setAutoRead(false);
                stream.pipeline().addLast(HandlerNames.HTTP2_STREAM_CODEC, new Http2StreamRequestCodec());
                addRequestHandlers(stream.pipeline(), true);
            }
        }));
    }

    private void addRequestHandlers(ChannelPipeline p, boolean http2) {
        p.addLast(HandlerNames.EXPECT_CONTINUE, new HttpServerExpectContinueHandler());
        p.addLast(HandlerNames.TRUST_BOUNDARY, new TrustBoundary(snapshots));
        p.addLast(HandlerNames.PROXY, new ProxyRequestHandler(carrier, inFlightRequests, http2, readTimeout));
    }
}
