package dev.portcullis.proxy.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.io.Flushable;
import java.io.IOException;
import dev.portcullis.proxy.report.BatchedHandOff;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Hands log lines to one writer thread, which writes them in batches ({@link BatchedHandOff}): an event loop never
 * waits for standard output, and under load neither it nor the writer pays a thread wake-up per line. After writing a
 * batch, the attached appenders that are {@link Flushable} (such as {@link BufferedStandardOutputAppender}) are
 * flushed once, so a batch costs one {@code write} system call instead of one per line. Logback's
 * {@code AsyncAppender}, which this replaces, woke its worker and wrote for every line.
 *
 * <p>A quiet proxy's line is written at once, a busy one's at most {@link #setLingerMillis linger} later. Nothing is
 * dropped: when {@link #setQueueSize queueSize} lines wait, the logging thread waits for room, as with
 * {@code AsyncAppender} and {@code discardingThreshold} 0. {@link #stop()} writes every queued line before it returns
 * (the JVM's exit stops the logger context, see {@code Main}).
 */
public final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    /** How long {@link #stop()} waits for the writer to write what is queued. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private int queueSize = 8192;
    private Duration linger = Duration.ofMillis(10);
    private BatchedHandOff<ILoggingEvent> writer;

    /** The most lines queued before a logging thread waits for room (8192 unless set). */
    public void setQueueSize(int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be at least 1");
        }
        this.queueSize = queueSize;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public long getLingerMillis() {
        return linger.toMillis();
    }

    /** How long the writer gathers lines after writing a batch (10 ms unless set; 0 writes each line at once). */
    public void setLingerMillis(long lingerMillis) {
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("lingerMillis must not be negative");
        }
        this.linger = Duration.ofMillis(lingerMillis);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        writer = new BatchedHandOff<>("portcullis-log-writer", queueSize, linger, this::write);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // What the line needs from the logging thread (its formatted message, thread name, MDC) is taken now.
        event.prepareForDeferredProcessing();
        writer.hand(event);
    }

    private void write(List<ILoggingEvent> batch) {
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
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
        writer.close(STOP_WAIT);
        if (!writer.closed()) {
            addWarn("the log writer did not finish within " + STOP_WAIT.toMillis() + " ms; " + writer.queued()
                    + " lines may be lost");
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
