package dev.portcullis.proxy.metrics;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread that writes finished requests into the registry and renders scrapes, in the order they
 * were handed over. A request's metrics are several meters (a counter, then the duration histogram, …)
 * and Micrometer's histogram snapshot can drop a value recorded while it is being taken; with records
 * and scrapes on one thread, a scrape shows each request wholly or not at all, and shows every request
 * reported before it was asked for (a request is reported before its answer is written, so a client that
 * has its answer and then scrapes finds it counted). Event loops only hand a record over; they never wait
 * for a scrape.
 */
final class MetricsWriter implements AutoCloseable {
    /**
     * One thread, started at once, fed through a lock-free queue: handing a record over from an event loop
     * is a CAS, never a lock an event loop could park on.
     */
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedTransferQueue<>(), runnable -> {
                Thread writer = new Thread(runnable, "metrics-writer");
                writer.setDaemon(true);
                return writer;
            });

    MetricsWriter() {
        thread.prestartCoreThread();
    }

    /** Runs {@code record} on the writer thread, after everything handed over before it; dropped once closed. */
    void record(Runnable record) {
        try {
            thread.execute(record);
        } catch (RejectedExecutionException closed) {
            // the registry is closing with the server: nothing will read it again
        }
    }

    /** {@code render}'s result, computed on the writer thread once every record handed over before it is in. */
    String scrape(Supplier<String> render) {
        try {
            return thread.submit(render::get).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scrape", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (RejectedExecutionException | CancellationException closed) {
            throw new IllegalStateException("the metrics registry is closed", closed);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
