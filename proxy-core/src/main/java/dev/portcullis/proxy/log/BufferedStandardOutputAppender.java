package dev.portcullis.proxy.log;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes lines to standard output (file descriptor 1) through a 64 KiB buffer that is written out when the
 * {@link BatchingAppender} in front of it ends a batch ({@link #flush()}), so that a batch of lines costs one
 * {@code write} system call instead of one per line. Logback's {@code ConsoleAppender} cannot: it writes through
 * {@code System.out}, which flushes after every write. The buffer never holds a line longer than the batch that
 * brought it; nothing else in the running proxy writes to standard output.
 *
 * <p>Stopping flushes but never closes file descriptor 1, which belongs to the process.
 */
public final class BufferedStandardOutputAppender<E> extends OutputStreamAppender<E> implements Flushable {
    private static final int BUFFER_BYTES = 64 * 1024;

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new UnclosableOutput(new FileOutputStream(FileDescriptor.out)),
                BUFFER_BYTES));
        super.start();
    }

    /** Writes out what the buffer holds. */
    @Override
    public void flush() throws IOException {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** Standard output, which closing the appender's stream flushes but leaves open. */
    private static final class UnclosableOutput extends OutputStream {
        private final FileOutputStream out;

        UnclosableOutput(FileOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() {
            // fd 1 stays open: the process owns it
        }
    }
}
