package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.proxy.metrics.SignInEvents;
import dev.portcullis.proxy.tracing.Tracing;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What sign-in keeps for the life of the process, across configuration reloads: the threads that
 * call the identity provider (never an event loop), the stores of what sign-in remembers, and the clock.
 *
 * @param providerCalls runs identity provider requests; bounded, so a hanging provider cannot
 *                      exhaust the process: when it is full, the call fails and the user sees the
 *                      "provider unavailable" page
 * @param stores        what sign-in remembers: revocations, redeemed hand-offs
 * @param clock         the time sessions, hand-offs and policies see
 * @param events        what sign-in reports for metrics (sign-ins, sign-outs, renewals, provider calls)
 * @param tracing       puts a span around each identity provider call
 */
public record SignInRuntime(ExecutorService providerCalls, SignInStores stores, Clock clock,
        SignInEvents events, Tracing tracing) {
    private static final int PROVIDER_THREADS = 16;
    private static final int PROVIDER_QUEUE = 256;

    public SignInRuntime {
        requireNonNull(providerCalls, "providerCalls");
        requireNonNull(stores, "stores");
        requireNonNull(clock, "clock");
        requireNonNull(events, "events");
        requireNonNull(tracing, "tracing");
    }

    /** A runtime whose sign-in events go nowhere. */
    public SignInRuntime(ExecutorService providerCalls, SignInStores stores, Clock clock) {
        this(providerCalls, stores, clock, SignInEvents.NONE, Tracing.off());
    }

    /** Sessions signed out, or logged out by the provider. */
    public RevocationStore revocations() {
        return stores.revocations();
    }

    /** The runtime of a serving process: daemon provider threads, revocations in memory, the system clock. */
    public static SignInRuntime standard() {
        return standard(SignInEvents.NONE);
    }

    /** The runtime of a serving process, reporting sign-in to {@code events}. */
    public static SignInRuntime standard(SignInEvents events) {
        return standard(events, Tracing.off());
    }

    /** The runtime of a serving process, reporting sign-in to {@code events} and tracing provider calls. */
    public static SignInRuntime standard(SignInEvents events, Tracing tracing) {
        return standard(events, tracing, Clock.systemUTC(), SignInStores.inMemory(Clock.systemUTC()));
    }

    /** The runtime of a serving process, with sign-in's time read from {@code clock} and its state kept in {@code stores}. */
    public static SignInRuntime standard(SignInEvents events, Tracing tracing, Clock clock, SignInStores stores) {
        requireNonNull(clock, "clock");
        requireNonNull(stores, "stores");
        NonBlockingRandom.get(); // seeded here, at start-up, never on an event loop
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(PROVIDER_THREADS, PROVIDER_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PROVIDER_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "idp-call-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return new SignInRuntime(executor, stores, clock,
                events, tracing);
    }
}
