package dev.portcullis.proxy.server;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read deadline of a connection: started when something begins to arrive (the first byte of a request head
 * or an HTTP/2 frame, or the connection itself for a PROXY protocol header), cancelled when it is complete; when
 * it passes, the connection is closed. Used by {@link RequestHeadDeadline}, {@link Http2FrameDeadline},
 * {@link ProxyProtocolReceiver} and {@link CleartextProtocolDetector}; event-loop confined, like the handlers
 * that own it.
 */
final class ReadDeadline {
    private static final Logger log = LoggerFactory.getLogger(ReadDeadline.class);

    private final Duration timeout;
    private ScheduledFuture<?> pending;

    /** @param timeout {@code timeout_read}; greater than zero */
    ReadDeadline(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
    }

    /** Starts the deadline for {@code what} ("request head", "HTTP/2 frame") on {@code ctx}'s connection. */
    void start(ChannelHandlerContext ctx, String what) {
        pending = ctx.executor().schedule(() -> {
            log.info("{} from {} not complete within {}; closing the connection",
                    what, ctx.channel().remoteAddress(), timeout);
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isRunning() {
        return pending != null;
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
