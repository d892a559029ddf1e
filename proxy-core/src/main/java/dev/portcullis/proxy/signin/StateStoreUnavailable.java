package dev.portcullis.proxy.signin;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A store of sign-in state (revocations, used hand-offs, sign-in throttles …) could not answer. The
 * request it was needed for fails closed: it is answered {@code 503} with the proxy's page, never
 * served as if the store had said yes. An expected failure: no stack trace.
 */
public final class StateStoreUnavailable extends RuntimeException {

    StateStoreUnavailable(Throwable cause) {
        super("the sign-in state store could not answer: " + describe(cause), cause, false, false);
    }

    /**
     * The store's answer to {@code question}, whose failure, whatever it was (also a store that threw
     * instead of failing its stage), becomes a {@code StateStoreUnavailable}.
     */
    static <T> CompletionStage<T> asking(Supplier<CompletionStage<T>> question) {
        CompletionStage<T> answer;
        try {
            answer = question.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((value, failure) -> {
            if (failure != null) {
                throw new CompletionException(unwrapped(failure) instanceof StateStoreUnavailable s ? s
                        : new StateStoreUnavailable(unwrapped(failure)));
            }
            return value;
        });
    }

    /** Whether {@code failure} (or what it wraps) is a store that could not answer. */
    public static boolean isCause(Throwable failure) {
        return unwrapped(failure) instanceof StateStoreUnavailable;
    }

    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
