package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.proxy.testing.RunningProxy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSockets through the proxy: the upgrade, echoed messages, and closes from either side reaching the other. */
class WebSocketTest {
    private static final int MAX_MESSAGE = 1 << 20;

    private static EventLoopGroup upstreamGroup;
    private static Channel upstreamListener;
    private static final BlockingQueue<Channel> upstreamConnections = new LinkedBlockingQueue<>();
    private static final BlockingQueue<HttpHeaders> upstreamRequests = new LinkedBlockingQueue<>();
    private static RunningProxy proxy;
    private static String routesYaml;
    private static String plainOnlyYaml;
    private static HttpClient client;

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
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast(new RequestRecorder());
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/")
                                .checkStartsWith(true)
                                .maxFramePayloadLength(MAX_MESSAGE)
                                .sendCloseFrame(null) // "drop-me" must drop the connection without a close frame
                                .build()));
                        ch.pipeline().addLast(new WebSocketFrameAggregator(MAX_MESSAGE));
                        ch.pipeline().addLast(new Echo());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        int port = ((java.net.InetSocketAddress) upstreamListener.localAddress()).getPort();
        routesYaml = """
                routes:
                  - from: http://127.0.0.1
                    prefix: /ws/
                    to: http://127.0.0.1:%d
                    allow_websockets: true
                    allow_public_unauthenticated_access: true
                  - from: http://127.0.0.1
                    prefix: /plain/
                    to: http://127.0.0.1:%d
                    allow_public_unauthenticated_access: true
                """.formatted(port, port);
        plainOnlyYaml = routesYaml.substring(0, routesYaml.indexOf("routes:") + 8)
                + routesYaml.substring(routesYaml.indexOf("  - from: http://127.0.0.1\n    prefix: /plain/"));
        proxy = RunningProxy.start(routesYaml);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        proxy.close();
        upstreamListener.close().awaitUninterruptibly();
        upstreamGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        upstreamGroup.awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forgetEarlierConnections() {
        upstreamConnections.clear();
        upstreamRequests.clear();
    }

    @Test
    void messagesEchoThroughTheProxy() throws Exception {
        Session session = Session.open("/ws/echo");
        try {
            for (String text : new String[] {"hello", "second message", "x".repeat(300 * 1024)}) {
                session.socket.sendText(text, true).get(5, TimeUnit.SECONDS);
                assertThat(session.nextMessage()).isEqualTo(text);
            }
            HttpHeaders handshake = upstreamRequests.poll(5, TimeUnit.SECONDS);
            assertThat(handshake.get("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(handshake.get("x-forwarded-proto")).isEqualTo("http");
        } finally {
            session.socket.abort();
        }
    }

    @Test
    void anOpenWebSocketOutlivesAReloadThatRemovesItsRoute() throws Exception {
        Session session = Session.open("/ws/reload");
        try {
            session.socket.sendText("before", true).get(5, TimeUnit.SECONDS);
            assertThat(session.nextMessage()).isEqualTo("before");

            proxy.server().apply(RunningProxy.load(plainOnlyYaml, java.util.Map.of()));
            assertThat(catchThrowable(() -> Session.open("/ws/other"))).as("the route is gone for new sockets")
                    .isNotNull();

            session.socket.sendText("after", true).get(5, TimeUnit.SECONDS);
            assertThat(session.nextMessage()).as("the open socket goes on").isEqualTo("after");
            assertThat(session.closed).isNotDone();
        } finally {
            session.socket.abort();
            proxy.server().apply(RunningProxy.load(routesYaml, java.util.Map.of()));
        }
    }

    @Test
    void aCloseFromTheClientReachesTheUpstreamAndItsAnswerTheClient() throws Exception {
        Session session = Session.open("/ws/close");
        Channel upstream = upstreamConnections.poll(5, TimeUnit.SECONDS);
        session.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(session.closed.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE + " bye");
        assertThat(upstream.closeFuture().await(5, TimeUnit.SECONDS)).as("upstream connection closed").isTrue();
    }

    @Test
    void aClientThatDropsTheConnectionClosesTheUpstreamConnection() throws Exception {
        Session session = Session.open("/ws/drop");
        Channel upstream = upstreamConnections.poll(5, TimeUnit.SECONDS);
        session.socket.sendText("ping", true).get(5, TimeUnit.SECONDS);
        assertThat(session.nextMessage()).isEqualTo("ping");
        session.socket.abort();
        assertThat(upstream.closeFuture().await(5, TimeUnit.SECONDS)).as("upstream connection closed").isTrue();
    }

    @Test
    void aCloseFromTheUpstreamReachesTheClient() throws Exception {
        Session session = Session.open("/ws/server-close");
        session.socket.sendText("close-me", true).get(5, TimeUnit.SECONDS);
        assertThat(session.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1001 going away");
    }

    @Test
    void anUpstreamThatDropsTheConnectionEndsTheClientsSession() throws Exception {
        Session session = Session.open("/ws/server-drop");
        session.socket.sendText("drop-me", true).get(5, TimeUnit.SECONDS);
        Object ended = CompletableFuture.anyOf(session.closed, session.failed).get(5, TimeUnit.SECONDS);
        // No close frame was sent: the JDK reports an error, or a close with 1006 (abnormal closure).
        assertThat(ended).satisfiesAnyOf(
                e -> assertThat(e).isInstanceOf(Throwable.class),
                e -> assertThat(e).isEqualTo("1006 "));
    }

    @Test
    void aRouteWithoutAllowWebsocketsDoesNotUpgrade() throws Exception {
        assertThatThrownBy(() -> Session.open("/plain/echo"))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isNotEqualTo(101));
        HttpHeaders forwarded = upstreamRequests.poll(5, TimeUnit.SECONDS);
        assertThat(forwarded).as("the request still reaches the upstream as a plain GET").isNotNull();
        assertThat(forwarded.contains("upgrade")).isFalse();
    }

    /** One client WebSocket and what it received. */
    private static final class Session implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Session open(String path) throws Exception {
            Session session = new Session();
            session.socket = client.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + path), session)
                    .get(10, TimeUnit.SECONDS);
            return session;
        }

        String nextMessage() throws InterruptedException {
            String message = messages.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("an echoed message within 5 s").isNotNull();
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failed.complete(error);
        }
    }

    /** Records the headers of each HTTP request the upstream receives (the handshake). */
    private static final class RequestRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                upstreamRequests.add(request.headers().copy());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Echoes text; {@code close-me} gets a close frame (1001), {@code drop-me} a dropped connection. */
    private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            if (text.equals("close-me")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1001, "going away")).addListener(ChannelFutureListener.CLOSE);
            } else if (text.equals("drop-me")) {
                ctx.close();
            } else {
                ctx.writeAndFlush(new TextWebSocketFrame(text));
            }
        }
    }
}
