package dev.portcullis.authn.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A store of sign-in state (revocations, used hand-offs, sign-in throttles …) could not answer. What
 * it was needed for fails closed: the proxy answers {@code 503} with its page, never as if the
 * store had said yes. An expected failure: no stack trace.
 */
public final class StoreUnavailable extends RuntimeException {

    public StoreUnavailable(Throwable cause) {
        super("the sign-in state store could not answer: " + describeCause(cause), cause, false, false);
    }

    /**
     * The store's answer to {@code question}, whose failure, whatever it was (also a store that threw
     * instead of failing its stage), becomes a {@code StoreUnavailable}.
     */
    public static <T> CompletionStage<T> asking(Supplier<CompletionStage<T>> question) {
        CompletionStage<T> answer;
        try {
            answer = question.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((value, failure) -> {
            if (failure != null) {
                throw new CompletionException(unwrapped(failure) instanceof StoreUnavailable s ? s
                        : new StoreUnavailable(unwrapped(failure)));
            }
            return value;
        });
    }

    /** {@code failure} as a {@code StoreUnavailable}: itself (unwrapped), or one that it causes. */
    public static StoreUnavailable of(Throwable failure) {
        Throwable cause = unwrapped(failure);
        return cause instanceof StoreUnavailable s ? s : new StoreUnavailable(cause);
    }

    /** Whether {@code failure} (or what it wraps) is a store that could not answer. */
    public static boolean isCause(Throwable failure) {
        return unwrapped(failure) instanceof StoreUnavailable;
    }

    /** What {@code failure} says, without the {@code CompletionException}s around it; never a stack trace. */
    public static String describe(Throwable failure) {
        Throwable cause = unwrapped(failure);
        return cause instanceof StoreUnavailable ? cause.getMessage() : describeCause(cause);
    }

    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describeCause(Throwable cause) {
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
