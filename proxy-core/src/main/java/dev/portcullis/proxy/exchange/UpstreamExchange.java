package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.UpstreamEndpoint;
import dev.portcullis.proxy.pages.ErrorPage;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.stage.Exchange;
import dev.portcullis.proxy.transport.HandlerNames;
import dev.portcullis.proxy.upstream.UpstreamBalancer;
import dev.portcullis.proxy.upstream.UpstreamConnection;
import dev.portcullis.proxy.upstream.UpstreamListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one request to an upstream and its response back, with back-pressure both ways: the
 * next part of the request is read from the client only while the upstream connection is
 * writable, and the next part of the response is read from the upstream only while the client
 * connection is writable. Memory per exchange is therefore bounded by one read and the
 * channels' write-buffer high-water marks, whatever the body size.
 *
 * <p>The upstream connection reads on its own while the client keeps up (switching read
 * interest on and off for every response would cost a system call each time); reading stops
 * only while the client connection is not writable.
 *
 * <p>Answers it may give itself: 502 when no endpoint can be connected (each endpoint is tried
 * once, in the balancer's order) or the upstream closes before answering; 504 when the route's
 * {@code timeout} or {@code idle_timeout} passes before the response starts. If either passes
 * or the upstream fails after the response started, both connections are closed, since the
 * client has already received a status. A pooled connection found closed before anything of
 * the request body was sent is retried once on a new connection.
 *
 * <p>When the request body fails to decode (a malformed chunk), the upstream connection is
 * closed, so that the upstream never takes the truncated request as complete; the client gets
 * 400 if its answer had not started, else its connection is closed.
 *
 * <p>A WebSocket upgrade ({@code 101 Switching Protocols}) turns both connections into a byte pipe.
 */
final class UpstreamExchange implements InFlight, UpstreamListener {
    private static final Logger log = LoggerFactory.getLogger(UpstreamExchange.class);
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Downstream downstream;
    private final Exchange exchange;
    private final Route route;
    private final UpstreamBalancer balancer;
    private final ExchangeServices services;
    private final Map<String, String> responseHeaders;
    private final List<UpstreamEndpoint> attempts;
    private final boolean hasBody;
    private final String upgrade;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();

    private int attempt;
    private boolean retried;
    private UpstreamEndpoint endpoint;
    /** The endpoint this request counts as in flight at (for {@code LEAST_REQUEST}), until it ends or moves on. */
    private UpstreamEndpoint countedAt;
    private UpstreamConnection connection;
    private boolean requestComplete;
    private boolean requestSent;
    private long bodyBytesSent;
    private boolean responseStarted;
    private boolean skipInformationalEnd;
    private boolean upstreamKeepAlive;
    private boolean downstreamKeepAlive;
    private boolean awaitingDownstreamWritable;
    private boolean finished;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> idleCheck;
    private long lastActivityNanos;

    UpstreamExchange(Downstream downstream, Exchange exchange, RouteEntry entry, ExchangeServices services, boolean hasBody,
            String upgrade) {
        this.responseHeaders = exchange.snapshot().responseHeaders().forConnection(exchange.connection().tls());
        this.downstream = downstream;
        this.exchange = exchange;
        this.route = entry.route();
        this.balancer = entry.balancer().orElseThrow();
        this.services = services;
        this.attempts = balancer.attemptOrder();
        this.hasBody = hasBody;
        this.upgrade = upgrade;
    }

    void start() {
        downstream.attach(this);
        lastActivityNanos = System.nanoTime();
        Duration timeout = route.timeouts().timeout();
        if (!timeout.isZero()) {
            deadline = loop().schedule(this::onDeadline, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        Duration idle = route.timeouts().idleTimeout();
        if (!idle.isZero()) {
            idleCheck = loop().scheduleAtFixedRate(this::checkIdle, idle.toNanos() / 4, idle.toNanos() / 4,
                    TimeUnit.NANOSECONDS);
        }
        connect();
    }

    private io.netty.channel.EventLoop loop() {
        return downstream.eventLoop();
    }

    private void connect() {
        UpstreamEndpoint target = attempts.get(attempt++);
        endpoint = target;
        countAt(target);
        String upstreamName = target.toString();
        exchange.upstream(upstreamName);
        exchange.trace().upstreamStarted(upstreamName);
        Duration timeout = route.timeouts().timeout();
        Duration connectTimeout = timeout.isZero() || timeout.compareTo(MAX_CONNECT_TIMEOUT) > 0 ? MAX_CONNECT_TIMEOUT : timeout;
        services.connector().acquire(loop(), target, route.upstreamTls(), connectTimeout, upgrade != null)
                .addListener((Future<UpstreamConnection> f) -> onConnect(f, target));
    }

    private void onConnect(Future<UpstreamConnection> f, UpstreamEndpoint target) {
        if (finished) {
            if (f.isSuccess()) {
                f.getNow().release();
            }
            return;
        }
        if (!f.isSuccess()) {
            balancer.markDown(target);
            log.info("upstream {} unreachable for request {}: {}", target, exchange.requestId(), describe(f.cause()));
            if (attempt < attempts.size()) {
                connect();
            } else {
                fail(ProxyFailure.UPSTREAM_UNAVAILABLE, UpstreamFailureDetails.connect(target, f.cause()));
            }
            return;
        }
        balancer.markUp(target);
        connection = f.getNow();
        connection.bind(this);
        sendRequestHead();
    }

    private void sendRequestHead() {
        Channel up = connection.channel();
        up.write(UpstreamRequestFactory.build(downstream.head(), exchange, route, endpoint, hasBody, upgrade))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (requestSent) {
            // A retry after the first connection was found closed; the request had no body.
            up.write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
        while (!pending.isEmpty()) {
            writeUpstream(pending.poll());
        }
        up.flush();
        up.read();
        if (!requestComplete) {
            readRequestIfUpstreamWritable();
        }
    }

    private void writeUpstream(HttpContent content) {
        bodyBytesSent += content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            requestSent = true;
        }
        connection.channel().write(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void readRequestIfUpstreamWritable() {
        if (connection.channel().isWritable()) {
            downstream.readMore();
        }
    }

    @Override
    public void onRequestContent(HttpContent content) {
        exchange.addBytesIn(content.content().readableBytes());
        if (content instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (finished || requestSent) {
            content.release();
            return;
        }
        if (connection == null) {
            pending.add(content);
            return;
        }
        writeUpstream(content);
        connection.channel().flush();
        if (!requestComplete) {
            readRequestIfUpstreamWritable();
        }
    }

    @Override
    public void onRequestFailed() {
        if (finished) {
            return;
        }
        log.info("request {} to upstream {} abandoned: its body could not be decoded", exchange.requestId(), endpoint);
        if (!responseStarted) {
            fail(ProxyFailure.BAD_REQUEST);
        } else {
            abort(ProxyFailure.BAD_REQUEST.tag());
        }
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        if (!finished && !requestComplete && connection != null && connection.channel().isWritable()) {
            downstream.readMore();
        }
    }

    @Override
    public void onUpstreamMessage(Object message) {
        lastActivityNanos = System.nanoTime();
        if (finished) {
            ReferenceCountUtil.release(message);
            return;
        }
        Object rest = message;
        if (message instanceof HttpResponse response) {
            rest = onResponseHead(response);
            if (rest == null) {
                return;
            }
        }
        if (rest instanceof HttpContent content) {
            onResponseContent(content);
        } else {
            ReferenceCountUtil.release(rest);
        }
    }

    /** Handles the status line and headers; returns the body part the message also carries, or null. */
    private Object onResponseHead(HttpResponse response) {
        int code = response.status().code();
        if (code == 101 && upgrade != null) {
            switchToTunnel(response);
            return null;
        }
        if (code >= 100 && code < 200) {
            // 100 Continue is answered to the client by the proxy itself; other 1xx are not passed on.
            skipInformationalEnd = !(response instanceof LastHttpContent);
            ReferenceCountUtil.release(response);
            return null;
        }
        responseStarted = true;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        exchange.status(code);
        DownstreamResponseFactory.Built built = DownstreamResponseFactory.build(response, downstream.head(), exchange, route,
                responseHeaders, downstream.clientKeepsAlive(), false, downstream.http2());
        downstreamKeepAlive = built.keepAlive();
        downstream.write(built.response());
        if (response instanceof FullHttpResponse full) {
            return new DefaultLastHttpContent(full.content(), full.trailingHeaders());
        }
        return null;
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (skipInformationalEnd) {
            skipInformationalEnd = !last;
            content.release();
            return;
        }
        exchange.addBytesOut(content.content().readableBytes());
        if (last) {
            complete(content);
        } else {
            downstream.write(content);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        if (finished) {
            return;
        }
        downstream.flush();
        if (!downstream.isWritable()) {
            // The client is slower than the upstream: stop reading the upstream until it catches up.
            connection.channel().config().setAutoRead(false);
            awaitingDownstreamWritable = true;
        }
    }

    @Override
    public void onDownstreamWritabilityChanged() {
        if (!finished && awaitingDownstreamWritable && downstream.isWritable()) {
            awaitingDownstreamWritable = false;
            connection.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        if (finished) {
            return;
        }
        if (!responseStarted && connection.reused() && bodyBytesSent == 0 && !retried && upgrade == null) {
            retried = true;
            connection.discard();
            connection = null;
            attempt--;
            connect();
            return;
        }
        if (cause != null) {
            log.info("upstream {} failed during request {}: {}", endpoint, exchange.requestId(), describe(cause));
        }
        if (!responseStarted) {
            fail(ProxyFailure.UPSTREAM_RESET, UpstreamFailureDetails.reset(endpoint, cause));
        } else {
            abort(ProxyFailure.UPSTREAM_RESET.tag());
        }
    }

    private void onDeadline() {
        onTimeout("upstream_timeout");
    }

    private void checkIdle() {
        if (System.nanoTime() - lastActivityNanos >= route.timeouts().idleTimeout().toNanos()) {
            onTimeout("upstream_idle_timeout");
        }
    }

    private void onTimeout(String tag) {
        if (finished) {
            return;
        }
        log.info("upstream {} did not answer request {} in time ({})", endpoint, exchange.requestId(), tag);
        if (!responseStarted) {
            fail(ProxyFailure.UPSTREAM_TIMEOUT, UpstreamFailureDetails.timeout(endpoint, tag));
        } else {
            abort(tag);
        }
    }

    @Override
    public void onDownstreamClosed() {
        if (finished) {
            return;
        }
        if (!responseStarted) {
            exchange.status(499);
        }
        abort("client_closed");
    }

    /** The response's last part: reported first, so that a client that has its answer finds it logged and counted. */
    private void complete(HttpContent last) {
        end();
        if (requestSent && upstreamKeepAlive) {
            connection.release();
        } else {
            connection.discard();
        }
        services.report(exchange);
        downstream.finish(downstream.writeAndFlush(last), downstreamKeepAlive && requestComplete);
    }

    private void fail(ProxyFailure failure) {
        fail(failure, "");
    }

    /** @param details what went wrong, shown on the page only when the route has {@code show_error_details} */
    private void fail(ProxyFailure failure, String details) {
        end();
        if (connection != null) {
            connection.discard();
        }
        exchange.outcome(failure.tag());
        FullHttpResponse page = ErrorPage.render(downstream.alloc(), failure, exchange.requestId(), exchange.accept(),
                List.of(), Optional.of(details).filter(d -> route.showErrorDetails() && !d.isEmpty()));
        Replies.addResponseHeaders(page.headers(), responseHeaders);
        exchange.status(failure.status());
        boolean reusable = requestComplete && downstream.clientKeepsAlive() && !downstream.requestFailed();
        if (!reusable && !downstream.http2()) {
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        services.report(exchange);
        ChannelFuture written = downstream.writeAndFlush(page);
        downstream.finish(written, reusable);
    }

    private void abort(String outcome) {
        end();
        if (connection != null) {
            connection.discard();
        }
        exchange.outcome(outcome);
        services.report(exchange);
        downstream.abort();
    }

    private void countAt(UpstreamEndpoint target) {
        if (countedAt != null) {
            balancer.finished(countedAt);
        }
        countedAt = target;
        if (target != null) {
            balancer.started(target);
        }
    }

    private void end() {
        if (!finished) {
            countAt(null);
        }
        finished = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
    }

    /** 101 Switching Protocols: pass the 101 on, then rebuild both pipelines as a byte pipe. */
    private void switchToTunnel(HttpResponse response) {
        responseStarted = true;
        exchange.status(101);
        end();
        DownstreamResponseFactory.Built built = DownstreamResponseFactory.build(response, downstream.head(), exchange, route,
                responseHeaders, true, true, false);
        ReferenceCountUtil.release(response);
        Channel upstreamChannel = connection.channel();
        downstream.write(built.response());
        downstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);

        ByteRelay toUpstream = new ByteRelay(upstreamChannel);
        upstreamChannel.config().setAutoRead(false);
        Channel client = downstream.becomeTunnel(toUpstream);
        ByteRelay toClient = new ByteRelay(client);
        ChannelPipeline up = upstreamChannel.pipeline();
        up.replace(HandlerNames.UPSTREAM_RELAY, HandlerNames.BYTE_RELAY, toClient);
        up.remove(HandlerNames.UPSTREAM_POOL_IDLE);
        up.remove(HandlerNames.UPSTREAM_CODEC);
        services.report(exchange);
        toClient.start();
        toUpstream.start();
        exchange.session().ifPresent(session -> SessionWatch.start(client, upstreamChannel, session, services.signIn(),
                exchange.requestId()));
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "closed";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }
}
