package dev.portcullis.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.ChannelPoolHandler;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

/**
 * The idle connections to one upstream, reused most-recent first, whose closing never waits.
 *
 * <p>Netty's {@link SimpleChannelPool#close()} waits for each idle connection to finish closing,
 * and its {@code closeAsync()} runs that wait on Netty's shared {@code GlobalEventExecutor}. When the
 * proxy stops, the connections' event loops stop at the same moment, so a close can be queued on a
 * loop that ends before running it: the wait then never returns, the shared executor's only thread
 * stays blocked, and every later event loop group in the JVM — whose termination is announced
 * through that executor — looks as if it never ends (seen in CI: every stop took 20 s). Here closing
 * only starts each idle connection's close; the event loop's own stop closes whatever is left.
 */
final class UpstreamPool extends SimpleChannelPool {

    UpstreamPool(Bootstrap bootstrap, ChannelPoolHandler handler) {
        super(bootstrap, handler, ChannelHealthChecker.ACTIVE, true, true);
    }

    /** Starts closing every idle connection and returns at once; safe on any thread. */
    @Override
    public void close() {
        for (Channel idle = pollChannel(); idle != null; idle = pollChannel()) {
            idle.close();
        }
    }

    /** As {@link #close()}: nothing is handed to another executor. */
    @Override
    public Future<Void> closeAsync() {
        close();
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    }
}
