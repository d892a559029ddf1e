package dev.portcullis.proxy.exchange;

import java.util.concurrent.atomic.AtomicInteger;

/** How many requests are being answered right now, across all connections; graceful shutdown waits for zero. */
public final class InFlightRequests {
    private final AtomicInteger count = new AtomicInteger();

    void started() {
        count.incrementAndGet();
    }

    void finished() {
        count.decrementAndGet();
    }

    public int count() {
        return count.get();
    }
}
