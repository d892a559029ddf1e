package dev.portcullis.proxy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * Fails a test class when a blocking call (socket or file I/O, sleeping, waiting on a lock)
 * happened on a Netty event loop thread while it ran. BlockHound, with Netty's own integration,
 * watches every I/O thread; each call found is recorded (with its stack) and also thrown where
 * it happened. Registered for every test by auto-detection.
 */
public final class BlockingCallsFailExtension implements AfterAllCallback {
    private static final List<String> FOUND = new CopyOnWriteArrayList<>();

    static {
        BlockHound.Builder builder = BlockHound.builder();
        // Netty's integration marks its I/O threads as non-blocking and allows its own known-safe calls.
        java.util.ServiceLoader.load(reactor.blockhound.integration.BlockHoundIntegration.class).forEach(builder::with);
        // Lettuce's own short locks on its own event loops, which BlockHound must not break: an error thrown from
        // inside a lock's acquisition leaves the lock unusable, and the next close of that connection waits forever
        // (seen: a suite hung in RedisStoreConnection.close). Neither guards I/O:
        // - the method table of a command interface, built once when a connection is created (a catch-up after
        //   subscribing creates one on Lettuce's loop), contended when two connections are made at the same moment;
        // - an endpoint's writers/exclusive lock (SharedLock), taken to write, reconnect, cancel or close.
        builder.allowBlockingCallsInside("io.lettuce.core.internal.AbstractInvocationHandler$MethodTranslator", "of");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "lockWritersExclusive");
        builder.blockingMethodCallback(method -> {
                    BlockingOperationError error = new BlockingOperationError(method);
                    StringBuilder where = new StringBuilder(Thread.currentThread().getName() + ": " + error.getMessage());
                    for (StackTraceElement frame : error.getStackTrace()) {
                        where.append("\n    at ").append(frame);
                    }
                    FOUND.add(where.toString());
                    throw error;
                })
                .install();
    }

    /** Takes what was found so far (for the harness's own test). */
    static List<String> takeFound() {
        List<String> found = new ArrayList<>(FOUND);
        FOUND.clear();
        return found;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!FOUND.isEmpty()) {
            List<String> found = new ArrayList<>(FOUND);
            FOUND.clear();
            throw new AssertionError(found.size() + " blocking call(s) on an event loop in " + context.getDisplayName()
                    + ":\n" + String.join("\n", found));
        }
    }
}
