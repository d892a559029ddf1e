package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.H2Client;
import dev.portcullis.proxy.testing.RunningProxy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes to {@code h2c://} upstreams (gRPC servers): bodies and trailers come back, streams share one connection. */
class H2cUpstreamTest {
    private static final Map<String, String> GRPC_HEADERS = Map.of("content-type", "application/grpc", "te", "trailers");

    /** A request as the h2c upstream saw it, and the connection (the proxy's port) it came on. */
    record Seen(Http2Headers headers, int bodyBytes, int proxyPort) {}

    private static EventLoopGroup upstreamGroup;
    private static Channel upstreamListener;
    private static final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Channel> upstreamConnections = new ConcurrentLinkedQueue<>();
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstreamGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        upstreamListener = new ServerBootstrap()
                .group(upstreamGroup)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        upstreamConnections.add(ch);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.pipeline().addLast(new GrpcLikeAnswer(ch.remoteAddress().getPort()));
                            }
                        }));
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        int port = ((InetSocketAddress) upstreamListener.localAddress()).getPort();
        proxy = RunningProxy.start("""
                routes:
                  - from: https://grpc.example.com
                    to: h2c://127.0.0.1:%d
                    allow_public_unauthenticated_access: true
                """.formatted(port));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        proxy.close();
        upstreamListener.close().awaitUninterruptibly();
        upstreamGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        upstreamGroup.awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @Test
    void theClientGetsTheBodyAndTheTrailers() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            H2Client.Response response = client.send(HttpMethod.POST, "grpc.example.com", "/echo.Echo/Say",
                    GRPC_HEADERS, "\0\0\0\0\7message".getBytes(StandardCharsets.US_ASCII));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().get("content-type")).isEqualTo("application/grpc");
            assertThat(response.body()).isEqualTo("answer to /echo.Echo/Say after 12 bytes");
            assertThat(response.trailers().get("grpc-status")).isEqualTo("0");
            assertThat(response.trailers().get("grpc-message")).isEqualTo("done");
        }
        Seen request = seen.poll();
        assertThat(request.headers().method().toString()).isEqualTo("POST");
        assertThat(request.headers().path().toString()).isEqualTo("/echo.Echo/Say");
        assertThat(request.headers().scheme().toString()).isEqualTo("http");
        assertThat(request.headers().authority().toString()).startsWith("127.0.0.1:");
        assertThat(request.headers().get("te").toString()).isEqualTo("trailers");
        assertThat(request.headers().get("content-type").toString()).isEqualTo("application/grpc");
        assertThat(request.headers().get("x-forwarded-host").toString()).isEqualTo("grpc.example.com");
        assertThat(request.bodyBytes()).isEqualTo(12);
    }

    @Test
    void concurrentAndSuccessiveRequestsShareOneUpstreamConnection() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            List<CompletableFuture<H2Client.Response>> concurrent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                concurrent.add(client.sendAsync(HttpMethod.POST, "grpc.example.com", "/svc/Concurrent" + i,
                        GRPC_HEADERS, new byte[i]));
            }
            for (int i = 0; i < 4; i++) {
                H2Client.Response r = concurrent.get(i).get(10, TimeUnit.SECONDS);
                assertThat(r.body()).isEqualTo("answer to /svc/Concurrent" + i + " after " + i + " bytes");
                assertThat(r.trailers().get("grpc-status")).isEqualTo("0");
            }
            for (int i = 0; i < 3; i++) {
                H2Client.Response r = client.send(HttpMethod.POST, "grpc.example.com", "/svc/Next", GRPC_HEADERS, new byte[1]);
                assertThat(r.status()).isEqualTo(200);
            }
        }
        assertThat(seen).hasSize(7);
        Set<Integer> connections = seen.stream().map(Seen::proxyPort).collect(Collectors.toSet());
        assertThat(connections).as("the proxy's ports of the upstream connections used").hasSize(1);
    }

    @Test
    void anHttp11ClientIsServedByAnH2cUpstreamToo() throws Exception {
        HttpResponse<String> response = proxy.client().send(proxy.request("grpc.example.com", "/plain/Call")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("answer to /plain/Call after 5 bytes");
        assertThat(seen.poll().headers().contains("te")).as("TE is not invented for a client that did not ask").isFalse();
    }

    @Test
    void aNewConnectionIsOpenedAfterTheUpstreamClosedItsOwn() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            assertThat(client.get("grpc.example.com", "/before").status()).isEqualTo(200);
            for (Channel connection : upstreamConnections) {
                connection.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            Thread.sleep(200); // let the proxy see the close, as it would between two real requests
            H2Client.Response after = client.get("grpc.example.com", "/after");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("answer to /after after 0 bytes");
        }
    }

    @Test
    void afterAGoawayNewRequestsGoToANewConnection() throws Exception {
        try (H2Client client = H2Client.cleartext(proxy.port())) {
            // Like grpc-go at MaxConnectionAge: GOAWAY, but the connection stays open for a grace period.
            assertThat(client.get("grpc.example.com", "/goaway").status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                H2Client.Response next = client.get("grpc.example.com", "/after-goaway");
                assertThat(next.status()).as("request %d after the GOAWAY", i).isEqualTo(200);
                assertThat(next.trailers().get("grpc-status")).isEqualTo("0");
            }
        }
        Seen goaway = seen.poll();
        assertThat(seen).extracting(Seen::proxyPort).as("a new connection after the GOAWAY")
                .doesNotContain(goaway.proxyPort());
    }

    /**
     * Answers a request stream like a gRPC server: headers, one data frame, then trailers with
     * {@code grpc-status: 0} that end the stream.
     */
    private static final class GrpcLikeAnswer extends ChannelInboundHandlerAdapter {
        private final int proxyPort;
        private Http2Headers headers;
        private int bodyBytes;

        GrpcLikeAnswer(int proxyPort) {
            this.proxyPort = proxyPort;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame frame) {
                    headers = new DefaultHttp2Headers().add(frame.headers());
                    end = frame.isEndStream();
                } else if (msg instanceof Http2DataFrame data) {
                    bodyBytes += data.content().readableBytes();
                    end = data.isEndStream();
                }
                if (end) {
                    answer(ctx);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            seen.add(new Seen(headers, bodyBytes, proxyPort));
            if (headers.path().toString().equals("/goaway")) {
                // Before the answer, so the proxy has it before the client can send the next request;
                // its last-stream-id still covers this stream.
                ctx.channel().parent().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            }
            String body = "answer to " + headers.path() + " after " + bodyBytes + " bytes";
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .add("content-type", "application/grpc")));
            ctx.write(new DefaultHttp2DataFrame(ByteBufUtil.writeUtf8(ctx.alloc(), body)));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                    .add("grpc-status", "0").add("grpc-message", "done"), true));
        }
    }
}
