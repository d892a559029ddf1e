package dev.portcullis.proxy.upstream;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.UpstreamEndpoint;
import dev.portcullis.config.route.UpstreamTls;
import dev.portcullis.proxy.transport.HandlerNames;
import dev.portcullis.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Hands out upstream connections. HTTP/1.1 connections are pooled per event loop and per
 * upstream (so a request and its upstream connection always share one thread), kept alive,
 * reused most-recently-used first, and closed after {@link #POOL_IDLE} unused. Cleartext HTTP/2
 * ({@code h2c}) upstreams get one multiplexed connection per event loop, a stream per request.
 * Upgrades get a dedicated connection. A connection is handed out only once connected and, for
 * https, once its TLS handshake has succeeded, so that a failure there can fail over. A TCP route's
 * tunnel gets a bare connection ({@link #connectTcp}).
 */
public final class UpstreamConnector {
    static final Duration POOL_IDLE = Duration.ofSeconds(60);
    private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("portcullis.upstream.used");

    private final Transport transport;
    private final AddressResolverGroup<? extends SocketAddress> resolver;
    private final UpstreamTlsContexts tlsContexts = new UpstreamTlsContexts();
    private final Map<PoolKey, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Map<PoolKey, ChannelFuture> h2cConnections = new ConcurrentHashMap<>();

    public UpstreamConnector(Transport transport, AddressResolverGroup<? extends SocketAddress> resolver) {
        this.transport = transport;
        this.resolver = resolver;
    }

    private record PoolKey(EventLoop loop, String scheme, String host, int port, String socketPath, UpstreamTls tls) {
        static PoolKey of(EventLoop loop, UpstreamEndpoint endpoint, UpstreamTls tls) {
            return new PoolKey(loop, endpoint.scheme(), endpoint.host(), endpoint.port(),
                    endpoint.socketPath().orElse(null), endpoint.tls() ? tls : null);
        }
    }

    /**
     * Builds the TLS contexts that the https upstreams of {@code routes} need, on the calling
     * thread: building one seeds a random generator and reads the trusted certificates, which
     * must not happen on an event loop. Call before the routes serve requests.
     *
     * @throws GeneralSecurityException naming the route's option whose certificate, key or roots cannot be used
     */
    public void prepareTls(List<Route> routes) throws GeneralSecurityException {
        prepareTls(tlsContexts, routes);
    }

    /**
     * Checks what {@link #prepareTls} would refuse (a client certificate whose key is not its own, unreadable roots),
     * without serving: the {@code validate} command says what {@code serve} would.
     *
     * @throws GeneralSecurityException naming the route's option whose certificate, key or roots cannot be used
     */
    public static void checkTls(List<Route> routes) throws GeneralSecurityException {
        prepareTls(new UpstreamTlsContexts(), routes);
    }

    private static void prepareTls(UpstreamTlsContexts contexts, List<Route> routes) throws GeneralSecurityException {
        for (Route route : routes) {
            if (route.action() instanceof RouteAction.Forward forward
                    && forward.endpoints().stream().anyMatch(UpstreamEndpoint::tls)) {
                contexts.prepare(route.upstreamTls());
            }
        }
    }

    /**
     * A connection to {@code endpoint} on {@code loop}.
     *
     * @param dedicated a new connection outside the pool, for a protocol upgrade
     */
    public Future<UpstreamConnection> acquire(EventLoop loop, UpstreamEndpoint endpoint, UpstreamTls tls,
            Duration connectTimeout, boolean dedicated) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        PoolKey key = PoolKey.of(loop, endpoint, tls);
        if (endpoint.h2c() && !dedicated) {
            acquireStream(key, endpoint, connectTimeout, promise);
        } else if (dedicated) {
            ChannelFuture connect = bootstrap(key, endpoint, connectTimeout).handler(http1Initializer(key, endpoint)).connect();
            connect.addListener(f -> {
                if (f.isSuccess()) {
                    whenReady(connect.channel(), null, promise);
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        } else {
            ChannelPool pool = pools.computeIfAbsent(key, k -> newPool(k, endpoint, connectTimeout));
            pool.acquire().addListener(f -> {
                if (f.isSuccess()) {
                    whenReady((Channel) f.getNow(), pool, promise);
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        }
        return promise;
    }

    /**
     * A new connection to a TCP route's {@code tcp://} endpoint on {@code loop}, outside any pool, with
     * nothing in its pipeline and auto-read off: the tunnel decides when to read.
     */
    public ChannelFuture connectTcp(EventLoop loop, UpstreamEndpoint endpoint, Duration connectTimeout) {
        PoolKey key = PoolKey.of(loop, endpoint, null);
        return bootstrap(key, endpoint, connectTimeout)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the tunnel adds its relay once the client has its 200
                    }
                })
                .connect();
    }

    private void whenReady(Channel channel, ChannelPool pool, Promise<UpstreamConnection> promise) {
        boolean reused = channel.hasAttr(USED) && Boolean.TRUE.equals(channel.attr(USED).get());
        channel.attr(USED).set(Boolean.TRUE);
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null || ssl.handshakeFuture().isDone() && ssl.handshakeFuture().isSuccess()) {
            promise.trySuccess(new UpstreamConnection(channel, pool, reused));
            return;
        }
        ssl.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                promise.trySuccess(new UpstreamConnection(channel, pool, reused));
            } else {
                channel.close();
                if (pool != null) {
                    pool.release(channel);
                }
                promise.tryFailure(h.cause());
            }
        });
    }

    private UpstreamPool newPool(PoolKey key, UpstreamEndpoint endpoint, Duration connectTimeout) {
        Bootstrap bootstrap = bootstrap(key, endpoint, connectTimeout);
        return new UpstreamPool(bootstrap, new UpstreamPoolHandler(http1Initializer(key, endpoint)));
    }

    private Bootstrap bootstrap(PoolKey key, UpstreamEndpoint endpoint, Duration connectTimeout) {
        Bootstrap bootstrap = new Bootstrap()
                .group(key.loop())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.AUTO_READ, true);
        if (endpoint.unixSocket()) {
            return bootstrap.channel(transport.domainSocketChannelClass())
                    .remoteAddress(transport.domainSocketAddress(endpoint.socketPath().orElseThrow()));
        }
        return bootstrap.channel(transport.socketChannelClass())
                .resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port()));
    }

    private ChannelInitializer<Channel> http1Initializer(PoolKey key, UpstreamEndpoint endpoint) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (endpoint.tls()) {
                    UpstreamTls tls = key.tls();
                    String serverName = tls.serverName().orElse(endpoint.host());
                    SslHandler ssl = tlsContexts.contextFor(tls).newHandler(ch.alloc(), serverName, endpoint.port());
                    ch.pipeline().addLast(HandlerNames.UPSTREAM_TLS, ssl);
                }
                ch.pipeline().addLast(HandlerNames.UPSTREAM_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                        .setMaxHeaderSize(65536).setMaxInitialLineLength(16384), false, false));
                ch.pipeline().addLast(HandlerNames.UPSTREAM_POOL_IDLE,
                        new IdleStateHandler(0, 0, POOL_IDLE.toSeconds(), TimeUnit.SECONDS));
                ch.pipeline().addLast(HandlerNames.UPSTREAM_RELAY, new UpstreamRelay());
                ch.pipeline().addLast(new PoolIdleCloser());
            }
        };
    }

    private void acquireStream(PoolKey key, UpstreamEndpoint endpoint, Duration connectTimeout,
            Promise<UpstreamConnection> promise) {
        ChannelFuture parent = h2cConnections.compute(key, (k, existing) -> {
            if (existing != null && (!existing.isDone() || acceptsNewStreams(existing.channel()))) {
                return existing;
            }
            if (existing != null) {
                // Graceful: the codec lets the streams still running finish before it closes.
                existing.channel().close();
            }
            return connectH2c(k, endpoint, connectTimeout);
        });
        parent.addListener(f -> {
            if (!f.isSuccess()) {
                h2cConnections.remove(key, parent);
                promise.tryFailure(f.cause());
                return;
            }
            new Http2StreamChannelBootstrap(parent.channel())
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast(HandlerNames.HTTP2_STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(false));
                            ch.pipeline().addLast(HandlerNames.UPSTREAM_RELAY, new UpstreamRelay());
                        }
                    })
                    .open()
                    .addListener(s -> {
                        if (s.isSuccess()) {
                            promise.trySuccess(new UpstreamConnection((Channel) s.getNow(), null, false));
                        } else {
                            promise.tryFailure(s.cause());
                        }
                    });
        });
    }

    /**
     * Whether new streams may be opened on a shared h2c connection: it is open and the upstream
     * has not sent GOAWAY (RFC 9113 §6.8). A gRPC server sends GOAWAY at its maximum connection
     * age or on graceful stop, then keeps the connection open while its streams finish.
     */
    private static boolean acceptsNewStreams(Channel connection) {
        Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
        return connection.isActive() && codec != null && !codec.connection().goAwayReceived();
    }

    private ChannelFuture connectH2c(PoolKey key, UpstreamEndpoint endpoint, Duration connectTimeout) {
        ChannelFuture future = bootstrap(key, endpoint, connectTimeout)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(HandlerNames.HTTP2_CODEC, Http2FrameCodecBuilder.forClient().build());
                        ch.pipeline().addLast(HandlerNames.HTTP2_MULTIPLEX, new Http2MultiplexHandler(new RefuseInboundStreams()));
                    }
                })
                .connect();
        future.channel().closeFuture().addListener(c -> h2cConnections.remove(key, future));
        return future;
    }

    /** Starts closing every pooled and shared connection; returns at once, on any thread. */
    public void closeAll() {
        pools.values().forEach(UpstreamPool::close);
        pools.clear();
        h2cConnections.values().forEach(f -> f.channel().close());
        h2cConnections.clear();
    }
}
