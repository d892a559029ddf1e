package dev.portcullis.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: Linux epoll when the native library loads, Java NIO otherwise. The
 * choice is made once; the event loops and channel classes always come from the same one.
 *
 * @param domainSocketChannelClass the client channel of Unix domain sockets (epoll's, or NIO's on the JDK's
 *                                 {@code UnixDomainSocketAddress})
 */
public record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannelClass,
        Class<? extends SocketChannel> socketChannelClass,
        Class<? extends DatagramChannel> datagramChannelClass,
        Class<? extends Channel> domainSocketChannelClass) {

    /** Epoll when available, NIO otherwise. */
    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(),
                    EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class,
                    EpollDomainSocketChannel.class);
        }
        return nio();
    }

    /** Java NIO, available everywhere. */
    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(),
                NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class, NioDomainSocketChannel.class);
    }

    /** The address of the Unix domain socket at {@code path}, as this transport's channel connects to it. */
    public SocketAddress domainSocketAddress(String path) {
        return domainSocketChannelClass == EpollDomainSocketChannel.class
                ? new DomainSocketAddress(path)
                : UnixDomainSocketAddress.of(path);
    }

    /**
     * A non-blocking DNS resolver for upstream host names (reads {@code /etc/hosts} and
     * {@code /etc/resolv.conf}, so Docker's embedded DNS and container links work); the JDK's
     * resolver would block the event loop.
     */
    public io.netty.resolver.AddressResolverGroup<java.net.InetSocketAddress> newResolver() {
        return new io.netty.resolver.dns.DnsAddressResolverGroup(new io.netty.resolver.dns.DnsNameResolverBuilder()
                .datagramChannelType(datagramChannelClass)
                .socketChannelType(socketChannelClass)
                .nameServerProvider(io.netty.resolver.dns.DnsServerAddressStreamProviders.platformDefault()));
    }

    /** A new group of event loops with threads named after {@code purpose}. */
    public EventLoopGroup newGroup(int threads, String purpose) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(purpose, true), ioHandlerFactory);
    }
}
