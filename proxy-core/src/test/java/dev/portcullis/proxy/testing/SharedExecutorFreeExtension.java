package dev.portcullis.proxy.testing;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that left Netty's shared {@link GlobalEventExecutor} stuck. Its single thread
 * also announces the end of every event loop group in the JVM, so one task waiting there for good
 * makes every later stop wait for its time-out — in CI that once turned each proxy stop into 20 s and
 * the suite into a time-out. Registered for every test by auto-detection.
 */
public final class SharedExecutorFreeExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            GlobalEventExecutor.INSTANCE.submit(() -> null).get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Netty's GlobalEventExecutor did not run a task within 5 s after "
                    + context.getDisplayName() + ": something left waiting on it blocks every event loop group's termination");
        }
    }
}
