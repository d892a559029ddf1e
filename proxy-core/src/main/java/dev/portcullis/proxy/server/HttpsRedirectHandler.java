package dev.portcullis.proxy.server;

import dev.portcullis.proxy.stage.OwnPaths;
import dev.portcullis.proxy.acme.ChallengeResponses;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code http_redirect_addr} listener: every request is answered with 301 to the same host
 * and path over https (the health paths answer 200 so a load balancer can probe it). With
 * {@code autocert}, an ACME server's HTTP-01 request for {@code /.well-known/acme-challenge/TOKEN}
 * gets the key authorisation of a challenge under way (404 for any other token), on any replica when
 * replicas share Redis (a token this replica does not hold is looked up there, asynchronously; 503 when
 * Redis cannot answer). Answers: 200, 301, 404, 503, and 400 for a request without a usable Host.
 */
@ChannelHandler.Sharable
final class HttpsRedirectHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String ACME_CHALLENGE = OwnPaths.ACME_CHALLENGE_PREFIX;

    /** Set on a connection whose challenge answer is being looked up in Redis. */
    private static final AttributeKey<Boolean> LOOKING_UP = AttributeKey.valueOf(HttpsRedirectHandler.class, "lookingUp");

    private final Optional<ChallengeResponses> challenges;

    /** @param challenges with {@code autocert}: the HTTP-01 challenges under way */
    HttpsRedirectHandler(Optional<ChallengeResponses> challenges) {
        this.challenges = challenges;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (ctx.channel().hasAttr(LOOKING_UP)) {
            return; // pipelined behind a challenge being looked up: that answer closes the connection
        }
        RequestHost host = hostOf(request);
        String path = request.uri().startsWith("/") ? request.uri() : "/";
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
        if (host == null || request.decoderResult().isFailure()) {
            respond(ctx, text(HttpResponseStatus.BAD_REQUEST, "Bad request\n", ctx), keepAlive);
        } else if (OwnPaths.isHealthCheck(path)) {
            respond(ctx, text(HttpResponseStatus.OK, "OK\n", ctx), keepAlive);
        } else if (challenges.isPresent() && path.startsWith(ACME_CHALLENGE)) {
            CompletableFuture<Optional<String>> answer = challenges.get()
                    .http01OnAnyReplica(path.substring(ACME_CHALLENGE.length())).toCompletableFuture();
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                respond(ctx, challengeAnswer(answer.getNow(Optional.empty()), null, ctx), keepAlive);
            } else {
                // Answered later: a request pipelined behind this one must not be answered first, so this closes.
                ctx.channel().attr(LOOKING_UP).set(Boolean.TRUE);
                answer.whenCompleteAsync((found, failure) -> respond(ctx, challengeAnswer(found, failure, ctx), false),
                        ctx.executor());
            }
        } else {
            String authority = host.name().indexOf(':') >= 0 ? "[" + host.name() + "]" : host.name();
            FullHttpResponse response = text(HttpResponseStatus.MOVED_PERMANENTLY, "", ctx);
            response.headers().set(HttpHeaderNames.LOCATION, "https://" + authority + path);
            respond(ctx, response, keepAlive);
        }
    }

    private static FullHttpResponse challengeAnswer(Optional<String> found, Throwable failure, ChannelHandlerContext ctx) {
        if (failure != null) {
            return text(HttpResponseStatus.SERVICE_UNAVAILABLE, "The shared store of ACME challenges is unavailable\n", ctx);
        }
        return found.map(keyAuthorization -> text(HttpResponseStatus.OK, keyAuthorization, ctx))
                .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, "No such challenge\n", ctx));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The host by the same rule as the main listener's; null when the request does not name one host. */
    private static RequestHost hostOf(FullHttpRequest request) {
        try {
            return RequestHost.ofRequest(request.headers().getAll(HttpHeaderNames.HOST), request.uri(), false);
        } catch (RequestHost.UnusableHostException e) {
            return null;
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, ChannelHandlerContext ctx) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(ctx.alloc(), body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
