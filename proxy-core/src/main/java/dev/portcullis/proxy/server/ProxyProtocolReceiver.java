package dev.portcullis.proxy.server;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.tls.ConnectionFacts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code use_proxy_protocol}: takes the header Netty's {@code HAProxyMessageDecoder} (just before this handler)
 * decoded, records its source as the connection's peer ({@link ConnectionFacts#peer}), then installs the rest of
 * the pipeline (TLS or cleartext detection) and steps aside; the bytes after the header go to it.
 *
 * <p>Fails closed, and never answers: a connection whose first bytes are not a valid PROXY header (v1 or v2) is
 * closed, as is one whose header has not arrived within {@code deadline}, since a client that could omit the header
 * could claim any address in {@code X-Forwarded-For}. A {@code LOCAL} command (a front proxy's health check) and a
 * v1 {@code UNKNOWN} or non-IP source keep the socket's own peer, as the protocol's specification (§2.1, §2.2) says.
 */
final class ProxyProtocolReceiver extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolReceiver.class);

    private final ReadDeadline deadline;
    private final Consumer<Channel> rest;
    private boolean received;

    /**
     * @param deadline how long after the connection opens its header may take
     * @param rest     installs the handlers that come after the header
     */
    ProxyProtocolReceiver(Duration deadline, Consumer<Channel> rest) {
        this.deadline = new ReadDeadline(requireNonNull(deadline, "deadline"));
        this.rest = requireNonNull(rest, "rest");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline.start(ctx, "PROXY protocol header");
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (received || !(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        received = true;
        try {
            if (header.command() == HAProxyCommand.PROXY && carriesIpSource(header)) {
                InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
                if (address == null) {
                    ctx.close();
                    return;
                }
                ConnectionFacts.recordProxySource(ctx.channel(), new InetSocketAddress(address, header.sourcePort()));
            }
        } finally {
            header.release();
        }
        rest.accept(ctx.channel());
        ctx.pipeline().remove(this);
    }

    private static boolean carriesIpSource(HAProxyMessage header) {
        HAProxyProxiedProtocol protocol = header.proxiedProtocol();
        return header.sourceAddress() != null && (protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                || protocol.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_IPv6);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Not a PROXY header (HAProxyProtocolException), or a broken connection: either way, no request is read.
        log.debug("connection from {} without a valid PROXY protocol header: {}", ctx.channel().remoteAddress(),
                cause.getMessage());
        ctx.close();
    }
}
