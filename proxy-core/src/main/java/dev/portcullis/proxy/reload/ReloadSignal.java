package dev.portcullis.proxy.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code SIGHUP} asks for a reload, as with nginx and most daemons ({@code docker kill -s HUP
 * portcullis}). The JDK's signal handling ({@code jdk.unsupported}) runs the handler on a thread of
 * its own, which only passes the request on.
 *
 * <p>A process started with {@code SIGHUP} ignored ({@code nohup}, some supervisors) cannot have it back:
 * the JVM keeps the signal ignored and {@link Signal#handle} only answers {@link SignalHandler#SIG_IGN}.
 * That is said at start-up, so a {@code kill -HUP} that does nothing is not a surprise.
 */
public final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {}

    /**
     * Runs {@code reload} at each {@code SIGHUP}; where the signal cannot reach the process (ignored since
     * it started, or no such signal on the platform), says so and does nothing.
     *
     * @return whether {@code SIGHUP} will run {@code reload}
     */
    public static boolean onHangUp(Runnable reload) {
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> reload.run());
            if (previous == SignalHandler.SIG_IGN) {
                log.warn("SIGHUP is ignored by this process (it was started under nohup, or by a parent that ignores"
                        + " SIGHUP), so kill -HUP will not reload; configuration changes are still picked up from the"
                        + " watched files. Start it without nohup (in the background with &, with setsid, or as a"
                        + " service) for SIGHUP to reload");
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.info("SIGHUP cannot be handled on this platform ({}); configuration changes are still picked up"
                    + " from the watched files", e.getMessage());
            return false;
        }
    }
}
