package dev.portcullis.proxy.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waiting for something another process or thread brings about: asking again until it holds, with a deadline. */
public final class Eventually {
    private static final Duration PAUSE = Duration.ofMillis(50);

    private Eventually() {}

    /**
     * Asks until {@code done} holds or {@code limit} passes, and returns the last answer: the caller asserts on it,
     * so a failure shows what was seen last.
     */
    public static <T> T within(Duration limit, Callable<T> ask, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T answer = ask.call();
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(PAUSE.toMillis());
            answer = ask.call();
        }
        return answer;
    }
}
