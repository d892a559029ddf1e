package dev.portcullis.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * An HTTP/2 client on one connection (Netty's frame codec and multiplexer), for what the JDK
 * client cannot do: prior knowledge on cleartext, an SNI name and {@code :authority} of the
 * test's choosing, response trailers. Each request is its own stream; several may run at once.
 */
public final class H2Client implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 10;

    /** A complete response: status, headers, body and trailers (empty when none came). */
    public record Response(int status, HttpHeaders headers, String body, HttpHeaders trailers) {}

    private final EventLoopGroup group;
    private final Channel channel;
    private final SslHandler ssl;

    private H2Client(EventLoopGroup group, Channel channel, SslHandler ssl) {
        this.group = group;
        this.channel = channel;
        this.ssl = ssl;
    }

    /** HTTP/2 with prior knowledge over cleartext (RFC 9113 §3.3). */
    public static H2Client cleartext(int port) throws Exception {
        return connect(port, null, null);
    }

    /**
     * HTTP/2 over TLS, offering only {@code h2} in ALPN, accepting any certificate, and sending
     * {@code serverName} as SNI (none when null).
     */
    public static H2Client tls(int port, String serverName) throws Exception {
        SslContext context = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        return connect(port, context, serverName);
    }

    private static H2Client connect(int port, SslContext sslContext, String serverName) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            SslHandler[] ssl = new SslHandler[1];
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (sslContext != null) {
                                ssl[0] = serverName == null
                                        ? sslContext.newHandler(ch.alloc())
                                        : sslContext.newHandler(ch.alloc(), serverName, port);
                                SSLEngine engine = ssl[0].engine();
                                SSLParameters parameters = engine.getSSLParameters();
                                parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
                                engine.setSSLParameters(parameters);
                                ch.pipeline().addLast(ssl[0]);
                            }
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                            ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    })
                    .connect("127.0.0.1", port)
                    .sync()
                    .channel();
            if (ssl[0] != null) {
                ssl[0].handshakeFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return new H2Client(group, channel, ssl[0]);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The protocol ALPN chose (null on cleartext). */
    public String applicationProtocol() {
        return ssl == null ? null : ssl.applicationProtocol();
    }

    /** The certificate the server presented. */
    public X509Certificate peerCertificate() throws Exception {
        return (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    public Response get(String authority, String path) throws Exception {
        return send(HttpMethod.GET, authority, path, Map.of(), null);
    }

    public Response send(HttpMethod method, String authority, String path, Map<String, String> headers, byte[] body)
            throws Exception {
        return sendAsync(method, authority, path, headers, body).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Sends a request without a body whose header block is exactly {@code headers} (pseudo-headers
     * included), for what the HTTP/1-style API cannot say, e.g. {@code :authority} and {@code host} both.
     */
    public Response sendHeaders(io.netty.handler.codec.http2.Http2Headers headers) throws Exception {
        CompletableFuture<Response> result = new CompletableFuture<>();
        new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false));
                        stream.pipeline().addLast(new ResponseCollector(result));
                    }
                })
                .open()
                .addListener(opened -> {
                    if (!opened.isSuccess()) {
                        result.completeExceptionally(opened.cause());
                        return;
                    }
                    ((Http2StreamChannel) opened.getNow())
                            .writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2HeadersFrame(headers, true));
                });
        return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Opens a stream and sends the request on it; the future completes with the whole response. */
    public CompletableFuture<Response> sendAsync(HttpMethod method, String authority, String path,
            Map<String, String> headers, byte[] body) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false));
                        stream.pipeline().addLast(new ResponseCollector(result));
                    }
                })
                .open()
                .addListener(opened -> {
                    if (!opened.isSuccess()) {
                        result.completeExceptionally(opened.cause());
                        return;
                    }
                    Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
                    ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
                    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, content);
                    request.headers().set(HttpHeaderNames.HOST, authority);
                    headers.forEach(request.headers()::set);
                    stream.writeAndFlush(request).addListener(written -> {
                        if (!written.isSuccess()) {
                            result.completeExceptionally(written.cause());
                        }
                    });
                });
        return result;
    }

    /**
     * Sends a GET and resets the stream (RST_STREAM, CANCEL) as soon as the response head arrives,
     * as a browser does when the user navigates away; the future completes with the status.
     */
    public CompletableFuture<Integer> getAndCancel(String authority, String path) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false));
                        stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                if (msg instanceof HttpResponse response && !status.isDone()) {
                                    ctx.close();
                                    status.complete(response.status().code());
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                status.completeExceptionally(new IllegalStateException("stream closed before the response head"));
                            }
                        });
                    }
                })
                .open()
                .addListener(opened -> {
                    if (!opened.isSuccess()) {
                        status.completeExceptionally(opened.cause());
                        return;
                    }
                    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
                    request.headers().set(HttpHeaderNames.HOST, authority);
                    ((Channel) opened.getNow()).writeAndFlush(request);
                });
        return status;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            group.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gathers one stream's response; a reset or a close before its end fails it. */
    private static final class ResponseCollector extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Response> result;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private HttpResponse head;

        ResponseCollector(CompletableFuture<Response> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    if (response.status().code() < 200) {
                        return;
                    }
                    head = response;
                }
                if (msg instanceof HttpContent content && head != null) {
                    ByteBuf bytes = content.content();
                    bytes.getBytes(bytes.readerIndex(), body, bytes.readableBytes());
                    if (content instanceof LastHttpContent last) {
                        result.complete(new Response(head.status().code(), head.headers().copy(),
                                body.toString(StandardCharsets.UTF_8), last.trailingHeaders().copy()));
                    }
                }
                if (msg instanceof Http2ResetFrame reset) {
                    result.completeExceptionally(new IllegalStateException("stream reset: " + reset.errorCode()));
                }
            } catch (Exception e) {
                result.completeExceptionally(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame reset) {
                result.completeExceptionally(new IllegalStateException("stream reset: " + reset.errorCode()));
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IllegalStateException("stream closed before the response ended"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }
}
