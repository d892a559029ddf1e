package dev.portcullis.proxy.acme;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two listeners the real server will have, reduced to the challenge answers and reading the
 * same {@link ChallengeResponses}: an HTTP-01 responder ({@code GET /.well-known/acme-challenge/TOKEN})
 * and a Netty TLS listener that, when the ClientHello offers ALPN {@code acme-tls/1}, completes the
 * handshake with {@link ChallengeResponses#tlsAlpn01} for the SNI name, and refuses any other.
 */
final class ChallengeResponders implements AutoCloseable {
    private final HttpServer http;
    private final EventLoopGroup group;
    private final Channel tls;
    final AtomicInteger http01Answers = new AtomicInteger();
    final AtomicInteger tlsAlpn01Answers = new AtomicInteger();

    ChallengeResponders(ChallengeResponses responses) throws IOException, InterruptedException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        http.createContext("/.well-known/acme-challenge/", exchange -> {
            String token = exchange.getRequestURI().getPath().substring("/.well-known/acme-challenge/".length());
            Optional<String> answer = responses.http01OnAnyReplica(token).toCompletableFuture().join();
            if (answer.isPresent()) {
                http01Answers.incrementAndGet();
                byte[] body = answer.get().getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        http.start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        tls = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new AcmeTlsSelector(responses));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int httpPort() {
        return http.getAddress().getPort();
    }

    int tlsPort() {
        return ((InetSocketAddress) tls.localAddress()).getPort();
    }

    /** What the server's ClientHello step does for acme-tls/1: pick the validation context, or close. */
    private final class AcmeTlsSelector extends SslClientHelloHandler<SslContext> {
        private final ChallengeResponses responses;

        AcmeTlsSelector(ChallengeResponses responses) {
            this.responses = responses;
        }

        @Override
        protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
            SslContext context = null;
            if (clientHello != null) {
                ClientHelloInspector.Hello hello = ClientHelloInspector.inspect(clientHello);
                if (hello.offersAcmeTls1()) {
                    context = hello.serverName().flatMap(responses::tlsAlpn01).orElse(null);
                }
            }
            return ctx.executor().newSucceededFuture(context);
        }

        @Override
        protected void onLookupComplete(ChannelHandlerContext ctx, Future<SslContext> future) {
            SslContext context = future.getNow();
            if (context == null) {
                ctx.close();
                return;
            }
            tlsAlpn01Answers.incrementAndGet();
            ctx.pipeline().replace(this, "tls", context.newHandler(ctx.alloc()));
        }
    }

    @Override
    public void close() {
        http.stop(0);
        tls.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        try {
            group.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
