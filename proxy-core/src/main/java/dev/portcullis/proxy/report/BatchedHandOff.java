package dev.portcullis.proxy.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands items from event loops to one consumer thread, which takes them in batches: the access log's lines
 * ({@code BatchingAppender}) and the records of request metrics ({@code MetricsWriter}).
 *
 * <p>A plain blocking queue wakes its consumer for every item: on a one-core NAS the consumer runs as soon as it is
 * woken, takes the one item and sleeps again, so a proxy answering 15,000 requests a second paid 15,000 thread
 * wake-ups per consumer (about a sixth of its CPU for the access log, docs/performance.md). Here the consumer, after
 * taking what it found, waits {@code linger} before looking again, and items handed over meanwhile are only queued
 * (a lock-free queue: handing over is a CAS). With nothing queued it sleeps until the next item, which wakes it at
 * once: a quiet proxy's items are taken immediately, a busy one's at most {@code linger} later, and an idle consumer
 * uses no CPU at all. An item someone waits for ({@link #handNow}) wakes the consumer even while it lingers.
 *
 * <p>Nothing is dropped while open: with a {@code capacity}, a thread handing over more waits for room; without one
 * the queue grows. {@link #close()} lets the consumer take everything queued before it stops.
 *
 * @param <T> what is handed over
 */
public final class BatchedHandOff<T> implements AutoCloseable {
    /** No limit on queued items: handing over never waits. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;
    /** The most items one batch takes, so that a consumer under a steady stream still ends its batches. */
    static final int MAX_BATCH = 1024;
    /** How long a thread waiting for room sleeps between looks. */
    private static final long ROOM_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final long lingerNanos;
    private final Consumer<List<T>> consumer;
    private final Thread consumerThread;
    /** The consumer has found the queue empty and sleeps until an item wakes it. */
    private volatile boolean consumerIdle;
    private volatile boolean closing;

    /**
     * @param threadName the consumer thread's name
     * @param capacity   the most items queued before a thread handing over waits for room, or {@link #UNBOUNDED}
     * @param linger     how long the consumer gathers items after a batch; zero takes each at once
     * @param consumer   takes each batch, in the order the items were handed over; it must not throw (a batch whose
     *                   consumer throws is lost, the thread goes on)
     */
    public BatchedHandOff(String threadName, int capacity, Duration linger, Consumer<List<T>> consumer) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger: " + linger + " (expected: not negative)");
        }
        this.capacity = capacity;
        this.lingerNanos = linger.toNanos();
        this.consumer = requireNonNull(consumer, "consumer");
        this.consumerThread = new Thread(this::takeUntilClosed, requireNonNull(threadName, "threadName"));
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    /**
     * Hands {@code item} over, waiting for room when {@code capacity} items are queued.
     *
     * @return false, and the item is not taken, once {@link #close()} has begun
     */
    public boolean hand(T item) {
        return hand(item, false);
    }

    /** As {@link #hand}, and the consumer takes it without lingering: for an item someone is waiting for. */
    public boolean handNow(T item) {
        return hand(item, true);
    }

    private boolean hand(T item, boolean now) {
        requireNonNull(item, "item");
        // The consumer itself never waits for room: only it could make some (a consumer that logs, say).
        while (queued.get() >= capacity && Thread.currentThread() != consumerThread) {
            if (closing) {
                return false;
            }
            LockSupport.unpark(consumerThread); // a full queue: the consumer must not be lingering now
            LockSupport.parkNanos(this, ROOM_WAIT_NANOS);
        }
        if (closing) {
            return false;
        }
        queued.incrementAndGet();
        queue.offer(item);
        // Read after the item is queued; the consumer announces idleness before it looks at the queue a last time.
        if (now || consumerIdle) {
            LockSupport.unpark(consumerThread);
        }
        return true;
    }

    private void takeUntilClosed() {
        List<T> batch = new ArrayList<>();
        while (true) {
            T item;
            while (batch.size() < MAX_BATCH && (item = queue.poll()) != null) {
                batch.add(item);
            }
            if (!batch.isEmpty()) {
                queued.addAndGet(-batch.size());
                try {
                    consumer.accept(batch);
                } catch (RuntimeException e) {
                    // the consumer's own failure; the thread must go on taking what comes
                }
                batch.clear();
                if (lingerNanos > 0 && !closing) {
                    LockSupport.parkNanos(this, lingerNanos);
                }
                continue;
            }
            if (closing) {
                return;
            }
            consumerIdle = true;
            if (queue.isEmpty() && !closing) {
                LockSupport.park(this);
            }
            consumerIdle = false;
        }
    }

    /** Stops taking new items and waits up to {@code wait} for the consumer to take what is queued. */
    public void close(Duration wait) {
        closing = true;
        LockSupport.unpark(consumerThread);
        if (Thread.currentThread() == consumerThread) {
            return;
        }
        try {
            consumerThread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #close(Duration)} with five seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Whether the consumer has taken everything and stopped. */
    public boolean closed() {
        return closing && !consumerThread.isAlive();
    }

    /** How many items wait to be taken. */
    public int queued() {
        return queued.get();
    }
}
