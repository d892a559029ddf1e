package dev.portcullis.authn.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Work on the built-in provider's files (users, passkeys, invitations), which blocks: {@link #on} runs it on a blocking
 * executor, never on an event loop, its {@link IOException} and a refused task failing the stage instead of being thrown.
 */
@FunctionalInterface
public interface BlockingFileWork<T> {

    T run() throws IOException;

    /** {@code work} run on {@code blocking}. */
    static <T> CompletableFuture<T> on(Executor blocking, BlockingFileWork<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, blocking);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
