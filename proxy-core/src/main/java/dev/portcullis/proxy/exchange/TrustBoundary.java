package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.OwnedHeaders;
import dev.portcullis.proxy.http.ProxyCredentials;
import dev.portcullis.proxy.stage.ProxySnapshot;
import dev.portcullis.proxy.tls.ConnectionFacts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Supplier;

/**
 * The one place where the proxy decides what of a request to trust, on every route, for every
 * proxied request and every forward-auth check: it reads which forwarding headers to believe
 * ({@code xff_num_trusted_hops}), then removes every header the proxy owns ({@link OwnedHeaders}:
 * identity, forwarding and forward-auth header names in any case and spelling, the proxy's cookies
 * and authorization), and passes the head on as a {@link TrustedRequest} holding what was believed
 * and taken. Nothing after it strips or trusts request headers.
 *
 * <p>Each request is handled with the configuration snapshot current when its head arrived. A
 * {@link FullHttpRequest} (an HTTP/2 request without a body) goes on as its head, then its content.
 */
public final class TrustBoundary extends ChannelInboundHandlerAdapter {
    private final Supplier<ProxySnapshot> snapshots;

    public TrustBoundary(Supplier<ProxySnapshot> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ProxySnapshot snapshot = snapshots.get();
        ForwardedFacts forwarded = snapshot.forwardedHeaders().believe(request.headers(), ConnectionFacts.peer(ctx.channel()));
        ProxyCredentials credentials = snapshot.ownedHeaders().removeFrom(request.headers());
        if (request instanceof FullHttpRequest full) {
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            ctx.fireChannelRead(new TrustedRequest(head, snapshot, forwarded, credentials));
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        } else {
            ctx.fireChannelRead(new TrustedRequest(request, snapshot, forwarded, credentials));
        }
    }
}
