package dev.portcullis.proxy.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands log lines to one writer thread, which writes them in batches: an event loop never waits for standard output,
 * and under load neither it nor the writer pays a thread wake-up per line.
 *
 * <p>Logback's {@code AsyncAppender} wakes its worker for every line: on a one-core NAS the worker runs as soon as it
 * is woken, takes the one line, writes it with a system call of its own and sleeps again, so a proxy answering 15,000
 * requests a second paid 15,000 wake-ups and writes (about a sixth of its CPU, docs/performance.md). Here the writer,
 * after writing what it found, waits {@link #setLingerMillis linger} milliseconds before looking again, and lines
 * arriving meanwhile are only queued; it writes them all and flushes once ({@link Flushable} appenders, such as
 * {@link BufferedStandardOutputAppender}, get one flush per batch). With nothing to write it sleeps until the next line,
 * which wakes it at once: a quiet proxy's lines appear immediately, a busy one's at most {@code linger} later, and an
 * idle proxy's writer uses no CPU at all.
 *
 * <p>Nothing is dropped: when the queue is full the logging thread waits for room, as with {@code AsyncAppender} and
 * {@code discardingThreshold} 0. {@link #stop()} writes every queued line before it returns (the JVM's exit stops the
 * logger context, see {@code Main}).
 */
public final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    /** How long {@link #stop()} waits for the writer to write what is queued. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private int queueSize = 8192;
    private long lingerNanos = TimeUnit.MILLISECONDS.toNanos(10);
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private Thread writer;
    /** The writer has found the queue empty and sleeps until a line wakes it. */
    private volatile boolean writerIdle;
    private volatile boolean stopping;

    /** The most lines queued before a logging thread waits for room (8192 unless set). */
    public void setQueueSize(int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be at least 1");
        }
        this.queueSize = queueSize;
    }

    /** How long the writer gathers lines after writing a batch (10 ms unless set; 0 writes each line at once). */
    public void setLingerMillis(long lingerMillis) {
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("lingerMillis must not be negative");
        }
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        stopping = false;
        writer = new Thread(this::writeUntilStopped, "portcullis-log-writer");
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // What the line needs from the logging thread (its formatted message, thread name, MDC) is taken now.
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            LockSupport.unpark(writer); // a full queue: the writer must not be lingering now
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                addWarn("interrupted while waiting for room in the log queue; line lost");
                return;
            }
        }
        if (writerIdle) {
            LockSupport.unpark(writer);
        }
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>(Math.min(queueSize, 1024));
        while (true) {
            if (queue.drainTo(batch) > 0) {
                write(batch);
                if (lingerNanos > 0 && !stopping) {
                    LockSupport.parkNanos(this, lingerNanos);
                }
                continue;
            }
            if (stopping) {
                return;
            }
            writerIdle = true;
            // Announced idle before looking again: a line queued after this look finds writerIdle and wakes us.
            if (queue.isEmpty() && !stopping) {
                LockSupport.park(this);
            }
            writerIdle = false;
        }
    }

    private void write(List<ILoggingEvent> batch) {
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        batch.clear();
        Iterator<Appender<ILoggingEvent>> each = appenders.iteratorForAppenders();
        while (each.hasNext()) {
            if (each.next() instanceof Flushable flushable) {
                try {
                    flushable.flush();
                } catch (IOException e) {
                    addError("cannot flush the log output", e);
                }
            }
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // no more lines are taken
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(STOP_WAIT_MILLIS);
            if (writer.isAlive()) {
                addWarn("the log writer did not finish within " + STOP_WAIT_MILLIS + " ms; " + queue.size()
                        + " lines may be lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
