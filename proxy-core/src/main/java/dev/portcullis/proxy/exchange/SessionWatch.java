package dev.portcullis.proxy.exchange;

import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.signin.SignInRuntime;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a WebSocket (or any upgraded connection) when the session that opened it expires or is
 * revoked (sign-out, back-channel logout): a check on the connection's event loop, at the expiry
 * and every {@link #CHECK_INTERVAL} for revocations, closing both sides.
 */
final class SessionWatch {
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(SessionWatch.class);

    private final Channel client;
    private final Channel upstream;
    private final Session session;
    private final SignInRuntime runtime;
    private final String requestId;
    private ScheduledFuture<?> next;

    private SessionWatch(Channel client, Channel upstream, Session session, SignInRuntime runtime, String requestId) {
        this.client = client;
        this.upstream = upstream;
        this.session = session;
        this.runtime = runtime;
        this.requestId = requestId;
    }

    static void start(Channel client, Channel upstream, Session session, SignInRuntime runtime, String requestId) {
        SessionWatch watch = new SessionWatch(client, upstream, session, runtime, requestId);
        client.closeFuture().addListener(f -> watch.stop());
        watch.schedule();
    }

    private void schedule() {
        Instant now = runtime.clock().instant();
        long untilExpiry = Math.max(0, Duration.between(now, session.expiresAt()).toMillis());
        long delay = Math.min(untilExpiry, CHECK_INTERVAL.toMillis());
        next = client.eventLoop().schedule(this::check, delay, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (!client.isActive()) {
            return;
        }
        Instant now = runtime.clock().instant();
        boolean expired = session.isExpiredAt(now);
        if (expired || runtime.revocations().isRevoked(session, now)) {
            log.info("request {}: closing the upgraded connection of user {}: the session {}", requestId,
                    session.userId(), expired ? "expired" : "was revoked");
            client.close();
            upstream.close();
            return;
        }
        schedule();
    }

    private void stop() {
        if (next != null) {
            next.cancel(false);
        }
    }
}
