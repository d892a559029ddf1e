package dev.portcullis.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.portcullis.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing the pool of idle upstream connections never waits: a stop must not hang on an event loop
 * that is busy or ending, nor park Netty's shared executor (whose thread also announces the end of
 * every event loop group in the JVM).
 */
class UpstreamPoolTest {

    @Test
    void closingReturnsAtOnceWhileTheConnectionsLoopIsBusyAndTheConnectionClosesAfterwards() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "pool-check");
        try (ServerSocket upstream = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannelClass())
                    .remoteAddress(new InetSocketAddress(upstream.getInetAddress(), upstream.getLocalPort()));
            UpstreamPool pool = new UpstreamPool(bootstrap, new UpstreamPoolHandler(new ChannelInboundHandlerAdapter()));
            Channel idle = pool.acquire().get(5, TimeUnit.SECONDS);
            pool.release(idle).get(5, TimeUnit.SECONDS);

            CountDownLatch busy = keepBusy(group);
            try {
                // Netty's own SimpleChannelPool.close() waits here until the loop runs the close.
                assertTimeoutPreemptively(Duration.ofSeconds(1), pool::close);
                assertTimeoutPreemptively(Duration.ofSeconds(1), () -> pool.closeAsync().get());
            } finally {
                busy.countDown();
            }
            assertThat(idle.closeFuture().await(5, TimeUnit.SECONDS)).as("the idle connection closes once its loop runs").isTrue();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Keeps the loop's only thread spinning (waiting there would be a blocking call that BlockHound
     * refuses) until the latch is counted down, or 5 s at most.
     */
    private static CountDownLatch keepBusy(EventLoopGroup group) {
        CountDownLatch busy = new CountDownLatch(1);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        group.execute(() -> {
            while (busy.getCount() > 0 && System.nanoTime() < end) {
                // spin (BlockHound counts even Thread.onSpinWait as blocking)
            }
        });
        return busy;
    }

    @Test
    void closingLeavesNettysSharedExecutorFree() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "pool-check");
        try (ServerSocket upstream = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannelClass())
                    .remoteAddress(new InetSocketAddress(upstream.getInetAddress(), upstream.getLocalPort()));
            UpstreamPool pool = new UpstreamPool(bootstrap, new UpstreamPoolHandler(new ChannelInboundHandlerAdapter()));
            Channel idle = pool.acquire().get(5, TimeUnit.SECONDS);
            pool.release(idle).get(5, TimeUnit.SECONDS);

            CountDownLatch busy = keepBusy(group);
            try {
                pool.closeAsync();
                // Netty's closeAsync() would now be blocked on the shared executor's only thread.
                assertThat(GlobalEventExecutor.INSTANCE.submit(() -> true).get(1, TimeUnit.SECONDS)).isTrue();
            } finally {
                busy.countDown();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
