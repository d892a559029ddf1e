package dev.portcullis.proxy.metrics;

import dev.portcullis.proxy.report.BatchedHandOff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The one thread that writes finished requests into the registry and renders scrapes, in the order they
 * were handed over. A request's metrics are several meters (a counter, then the duration histogram, …)
 * and Micrometer's histogram snapshot can drop a value recorded while it is being taken; with records
 * and scrapes on one thread, a scrape shows each request wholly or not at all, and shows every request
 * reported before it was asked for (a request is reported before its answer is written, so a client that
 * has its answer and then scrapes finds it counted). Event loops only hand a record over; they never wait
 * for a scrape.
 *
 * <p>Records are handed over in batches ({@link BatchedHandOff}): under load the thread takes what came in the
 * last {@link #LINGER} at once instead of being woken for every request; a scrape wakes it at once.
 */
final class MetricsWriter implements AutoCloseable {
    /** How long the thread gathers records after a batch: a busy proxy's requests reach the registry this much later. */
    static final Duration LINGER = Duration.ofMillis(10);

    /** Handing a record over from an event loop is a CAS, never a lock an event loop could park on, nor a wait. */
    private final BatchedHandOff<Runnable> thread = new BatchedHandOff<>("metrics-writer", BatchedHandOff.UNBOUNDED,
            LINGER, MetricsWriter::runEach);

    private static void runEach(List<Runnable> batch) {
        for (Runnable task : batch) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // one record that cannot be written must not lose the others
            }
        }
    }

    /** Runs {@code record} on the writer thread, after everything handed over before it; dropped once closed. */
    void record(Runnable record) {
        thread.hand(record); // false once closed: the registry is closing with the server, nothing will read it again
    }

    /** {@code render}'s result, computed on the writer thread once every record handed over before it is in. */
    String scrape(Supplier<String> render) {
        CompletableFuture<String> rendered = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                rendered.complete(render.get());
            } catch (RuntimeException e) {
                rendered.completeExceptionally(e);
            }
        };
        if (!thread.handNow(task)) {
            throw new IllegalStateException("the metrics registry is closed");
        }
        try {
            return rendered.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scrape", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
