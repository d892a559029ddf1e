package dev.portcullis.proxy.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code SIGHUP} asks for a reload, as with nginx and most daemons ({@code docker kill -s HUP
 * portcullis}). The JDK's signal handling ({@code jdk.unsupported}) runs the handler on a thread of
 * its own, which only passes the request on.
 */
public final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {}

    /** Runs {@code reload} at each {@code SIGHUP}; where the platform has no such signal, says so and does nothing. */
    public static void onHangUp(Runnable reload) {
        try {
            Signal.handle(new Signal("HUP"), signal -> reload.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.info("SIGHUP cannot be handled on this platform ({}); configuration changes are still picked up"
                    + " from the watched files", e.getMessage());
        }
    }
}
