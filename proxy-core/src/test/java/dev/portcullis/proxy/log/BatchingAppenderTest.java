package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.Flushable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Lines handed to the {@link BatchingAppender} all arrive, each thread's in its order, written in batches with one
 * flush per batch; a quiet appender writes a line at once; stopping writes everything still queued.
 */
class BatchingAppenderTest {
    /** The test's own Logback, whose MDC adapter an event needs to be prepared for another thread. */
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @Test
    void everyLineArrivesInItsThreadsOrderEvenWhenTheQueueIsFull() throws Exception {
        Recording out = new Recording();
        BatchingAppender batching = started(out, 4, 1);
        int threads = 4;
        int perThread = 5_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "writer-" + t;
            Thread writer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    batching.doAppend(event(name + " " + i));
                }
            }, name);
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(writer.isAlive()).as("a writer still waiting for room in the queue").isFalse();
        }
        batching.stop();

        assertThat(out.lines).hasSize(threads * perThread);
        Map<String, Integer> next = new HashMap<>();
        for (String line : out.lines) {
            String[] parts = line.split(" ");
            int expected = next.getOrDefault(parts[0], 0);
            assertThat(Integer.parseInt(parts[1])).as("order of " + parts[0]).isEqualTo(expected);
            next.put(parts[0], expected + 1);
        }
        assertThat(out.flushes.get()).as("one flush per batch, never more than one per line")
                .isBetween(1, threads * perThread);
    }

    @Test
    void aQuietAppenderWritesALineAtOnceAndGathersTheLinesThatFollowIntoOneBatch() throws Exception {
        Recording out = new Recording();
        // a linger far longer than the test: lines queued while the writer lingers stay queued until stop()
        BatchingAppender batching = started(out, 8192, TimeUnit.MINUTES.toMillis(10));
        batching.doAppend(event("first"));
        assertThat(out.firstLine.await(10, TimeUnit.SECONDS)).as("the first line of a quiet appender is written at once")
                .isTrue();
        assertThat(out.flushes.get()).isEqualTo(1);
        for (int i = 0; i < 100; i++) {
            batching.doAppend(event("line " + i));
        }
        assertThat(out.lines).as("lines arriving while the writer lingers wait for the next batch").hasSize(1);

        batching.stop();

        assertThat(out.lines).hasSize(101);
        assertThat(out.lines.get(100)).isEqualTo("line 99");
        assertThat(out.flushes.get()).as("the hundred lines in one batch, one flush").isEqualTo(2);
    }

    @Test
    void aWriterWokenFromIdleAgainAndAgainLosesNothing() throws Exception {
        Recording out = new Recording();
        BatchingAppender batching = started(out, 16, 0);
        for (int i = 0; i < 2_000; i++) {
            batching.doAppend(event("line " + i));
            if (i % 100 == 0) {
                Thread.onSpinWait(); // let the writer reach its idle state now and then
            }
        }
        batching.stop();
        assertThat(out.lines).hasSize(2_000);
        assertThat(out.lines.get(1_999)).isEqualTo("line 1999");
    }

    private BatchingAppender started(Recording out, int queueSize, long lingerMillis) {
        out.setContext(context);
        out.start();
        BatchingAppender batching = new BatchingAppender();
        batching.setContext(context);
        batching.setQueueSize(queueSize);
        batching.setLingerMillis(lingerMillis);
        batching.addAppender(out);
        batching.start();
        return batching;
    }

    private LoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("test");
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setThreadName(Thread.currentThread().getName());
        event.setTimeStamp(System.currentTimeMillis());
        return event;
    }

    /** An appender that keeps the messages it is given, in order, and counts its flushes. */
    private static final class Recording extends AppenderBase<ILoggingEvent> implements Flushable {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger flushes = new AtomicInteger();
        final CountDownLatch firstLine = new CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            firstLine.countDown();
        }
    }
}
