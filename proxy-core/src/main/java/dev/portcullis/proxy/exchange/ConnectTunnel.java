package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.UpstreamEndpoint;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.stage.Exchange;
import dev.portcullis.proxy.stage.Reply;
import dev.portcullis.proxy.transport.HandlerNames;
import dev.portcullis.proxy.upstream.UpstreamBalancer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an allowed {@code CONNECT} to a TCP route (Pomerium's {@code tcp+https://}, as
 * {@code pomerium-cli tcp} opens it): connects to the route's {@code tcp://} upstream, answers
 * {@code 200}, and makes the client connection and the upstream connection one byte pipe, with
 * back-pressure both ways ({@link ByteRelay}: the next read only after the other side took the last
 * write). Nothing is sent upstream but the client's bytes.
 *
 * <p>Answers it may give itself: {@code 502} when no endpoint can be connected (each endpoint is
 * tried once, in the balancer's order, each within the route's {@code timeout} capped at
 * {@link #MAX_CONNECT_TIMEOUT}); {@code 400} when the request declares content (RFC 9110 §9.3.6) or
 * was malformed, closing the connection. Once open, the tunnel
 * closes when either side closes, when the route's {@code idle_timeout} (if set) passes without a byte
 * either way, and when the session that opened it expires or is signed out ({@link SessionWatch}).
 */
final class ConnectTunnel implements InFlight {
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ConnectTunnel.class);

    private final Downstream downstream;
    private final Exchange exchange;
    private final Route route;
    private final UpstreamBalancer balancer;
    private final ExchangeServices services;
    private final List<UpstreamEndpoint> attempts;
    private int attempt;
    private boolean finished;

    ConnectTunnel(Downstream downstream, Exchange exchange, RouteEntry entry, ExchangeServices services) {
        this.downstream = downstream;
        this.exchange = exchange;
        this.route = entry.route();
        this.balancer = entry.balancer().orElseThrow();
        this.services = services;
        this.attempts = balancer.attemptOrder();
    }

    void start() {
        downstream.attach(this);
        if (downstream.hasBody()) {
            // RFC 9110 §9.3.6: a CONNECT has no content; bytes declared as one would be read as the tunnel's
            log.info("request {}: refused with 400: a CONNECT with content", exchange.requestId());
            fail(ProxyFailure.BAD_REQUEST);
            return;
        }
        connect();
    }

    private void connect() {
        UpstreamEndpoint target = attempts.get(attempt++);
        exchange.upstream(target.toString());
        exchange.trace().upstreamStarted(target.toString());
        Duration timeout = route.timeouts().timeout();
        Duration connectTimeout = timeout.isZero() || timeout.compareTo(MAX_CONNECT_TIMEOUT) > 0 ? MAX_CONNECT_TIMEOUT : timeout;
        ChannelFuture connecting = services.connector().connectTcp(downstream.eventLoop(), target, connectTimeout);
        connecting.addListener(f -> onConnect(connecting, target));
    }

    private void onConnect(ChannelFuture connecting, UpstreamEndpoint target) {
        if (finished) {
            connecting.channel().close();
            return;
        }
        if (!connecting.isSuccess()) {
            balancer.markDown(target);
            log.info("upstream {} unreachable for tunnel {}: {}", target, exchange.requestId(), describe(connecting.cause()));
            if (attempt < attempts.size()) {
                connect();
            } else {
                fail(ProxyFailure.UPSTREAM_UNAVAILABLE);
            }
            return;
        }
        balancer.markUp(target);
        open(connecting.channel());
    }

    /** {@code 200} to the client, then both connections become the byte pipe. */
    private void open(Channel upstream) {
        finished = true;
        exchange.status(200);
        downstream.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        downstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        ByteRelay toUpstream = new ByteRelay(upstream);
        Channel client = downstream.becomeTcpTunnel(toUpstream);
        ByteRelay toClient = new ByteRelay(client);
        Duration idle = route.timeouts().idleTimeout();
        if (!idle.isZero()) {
            // every byte either way crosses the upstream connection: its silence is the tunnel's
            upstream.pipeline().addLast(HandlerNames.TUNNEL_IDLE, new IdleStateHandler(0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
            upstream.pipeline().addLast(HandlerNames.TUNNEL_IDLE_CLOSER, new IdleTunnelCloser(exchange.requestId(), idle));
        }
        upstream.pipeline().addLast(HandlerNames.BYTE_RELAY, toClient);
        services.report(exchange);
        toClient.start();
        toUpstream.start();
        exchange.session().ifPresent(session -> SessionWatch.start(client, upstream, session, services.signIn(),
                exchange.requestId()));
    }

    private void fail(ProxyFailure failure) {
        finished = true;
        LocalReply.send(downstream, exchange, Replies.render(Reply.failure(failure), exchange, downstream.head(),
                downstream.alloc()), true, services);
    }

    @Override
    public void onRequestContent(HttpContent content) {
        // a CONNECT has no body: what comes is its (empty) end
        content.release();
    }

    @Override
    public void onRequestFailed() {
        if (!finished) {
            fail(ProxyFailure.BAD_REQUEST);
        }
    }

    @Override
    public void onDownstreamWritabilityChanged() {
        // nothing is written to the client before the tunnel opens
    }

    @Override
    public void onDownstreamClosed() {
        if (finished) {
            return;
        }
        finished = true;
        exchange.status(499);
        exchange.outcome("client_closed");
        services.report(exchange);
        downstream.abort();
    }

    private static String describe(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        return cause == null ? "closed" : cause.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }
}
