package dev.portcullis.authn.idp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs blocking provider work on the blocking executor and completes a stage with its result, or
 * with the exception itself (not wrapped in a {@code CompletionException}), so a caller's
 * {@code exceptionally} sees the {@link IdentityProviderException} directly. An executor that refuses
 * the work fails the stage with {@code UNAVAILABLE}.
 */
final class BlockingCall {

    private BlockingCall() {
    }

    static <T> CompletionStage<T> on(Executor blocking, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            blocking.execute(() -> {
                try {
                    result.complete(work.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(IdentityProviderException.unavailable(
                    "the identity provider call could not be scheduled (executor refused it)"));
        }
        return result;
    }
}
