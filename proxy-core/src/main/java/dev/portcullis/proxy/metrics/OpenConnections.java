package dev.portcullis.proxy.metrics;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/** How many client connections the proxy's listeners hold open right now. */
public final class OpenConnections {
    private final AtomicInteger count = new AtomicInteger();

    /** Counts {@code accepted} (a registered channel) until it closes. */
    public void opened(Channel accepted) {
        count.incrementAndGet();
        accepted.closeFuture().addListener(closed -> count.decrementAndGet());
    }

    public int count() {
        return count.get();
    }
}
