package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Calls to a shared store made all at once from eight threads: what the contract tests race replicas with. */
public final class SimultaneousCalls {
    private static final int THREADS = 8;

    private SimultaneousCalls() {}

    /**
     * Queues every call, lets them all go at the same moment, and returns their answers in the calls' order (each
     * within {@link Answers#PROMPTLY}).
     */
    public static <T> List<T> answers(List<Supplier<CompletionStage<T>>> calls) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletionStage<T>>> asked = new ArrayList<>();
            for (Supplier<CompletionStage<T>> call : calls) {
                asked.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return call.get();
                }, callers));
            }
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (CompletableFuture<CompletionStage<T>> one : asked) {
                answers.add(answer(answer(one)));
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
