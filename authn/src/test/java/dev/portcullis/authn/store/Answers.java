package dev.portcullis.authn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.assertj.core.api.Assertions;

/** What the shared store tests (Redis, PostgreSQL) wait for: an answer, a failure, or a condition that becomes true before a deadline. */
public final class Answers {
    /** Far above the stores' command timeouts in these tests (at most 2 s): an answer that takes this long never came. */
    public static final Duration PROMPTLY = Duration.ofSeconds(5);

    private Answers() {}

    /** The value {@code stage} completes with, within {@link #PROMPTLY}. */
    public static <T> T answer(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected an answer, the store failed: " + StoreUnavailable.describe(e.getCause()), e);
        }
    }

    /** The {@link StoreUnavailable} {@code stage} fails with, within {@link #PROMPTLY} (never a value). */
    public static StoreUnavailable unavailable(CompletionStage<?> stage) {
        Throwable failure = catchThrowable(() -> stage.toCompletableFuture().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failure).as("the stage fails within %s instead of answering", PROMPTLY)
                .isInstanceOf(ExecutionException.class)
                .isNotInstanceOf(TimeoutException.class);
        assertThat(failure.getCause()).isInstanceOf(StoreUnavailable.class);
        return (StoreUnavailable) failure.getCause();
    }

    /** Asks {@code condition} again and again (every 50 ms) until it holds; fails after {@code within}. */
    public static void eventually(String what, Duration within, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(50);
        }
        Assertions.fail("not within " + within + ": " + what);
    }

    /**
     * True once {@code question} is answered (whatever the answer), false while the store is unavailable; any other
     * failure fails the test. For {@link #eventually}: "the same store works again".
     */
    public static Supplier<Boolean> answersAtAll(Supplier<CompletionStage<?>> question) {
        return () -> {
            try {
                question.get().toCompletableFuture().get();
                return true;
            } catch (Exception e) {
                if (StoreUnavailable.isCause(e.getCause())) {
                    return false;
                }
                throw new AssertionError(e);
            }
        };
    }

    /** The failure's message and every cause's, as a log line with the cause chain would show them. */
    public static String describedFully(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }
}
