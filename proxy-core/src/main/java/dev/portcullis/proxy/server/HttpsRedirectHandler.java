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
import java.util.Optional;

/**
 * The {@code http_redirect_addr} listener: every request is answered with 301 to the same host
 * and path over https (the health paths answer 200 so a load balancer can probe it). With
 * {@code autocert}, an ACME server's HTTP-01 request for {@code /.well-known/acme-challenge/TOKEN}
 * gets the key authorisation of a challenge under way (404 for any other token). Answers: 200,
 * 301, 404, and 400 for a request without a usable Host.
 */
@ChannelHandler.Sharable
final class HttpsRedirectHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String ACME_CHALLENGE = OwnPaths.ACME_CHALLENGE_PREFIX;

    private final Optional<ChallengeResponses> challenges;

    /** @param challenges with {@code autocert}: the HTTP-01 challenges under way */
    HttpsRedirectHandler(Optional<ChallengeResponses> challenges) {
        this.challenges = challenges;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        RequestHost host = hostOf(request);
        String path = request.uri().startsWith("/") ? request.uri() : "/";
        FullHttpResponse response;
        if (host == null || request.decoderResult().isFailure()) {
            response = text(HttpResponseStatus.BAD_REQUEST, "Bad request\n", ctx);
        } else if (OwnPaths.isHealthCheck(path)) {
            response = text(HttpResponseStatus.OK, "OK\n", ctx);
        } else if (challenges.isPresent() && path.startsWith(ACME_CHALLENGE)) {
            response = challenges.get().http01(path.substring(ACME_CHALLENGE.length()))
                    .map(keyAuthorization -> text(HttpResponseStatus.OK, keyAuthorization, ctx))
                    .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, "No such challenge\n", ctx));
        } else {
            String authority = host.name().indexOf(':') >= 0 ? "[" + host.name() + "]" : host.name();
            response = text(HttpResponseStatus.MOVED_PERMANENTLY, "", ctx);
            response.headers().set(HttpHeaderNames.LOCATION, "https://" + authority + path);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
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
