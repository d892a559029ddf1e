package dev.portcullis.proxy.exchange;

import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.signin.SignInRuntime;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a WebSocket (or any upgraded connection) when the session that opened it expires or is
 * revoked (sign-out, back-channel logout): a check on the connection's event loop, at the expiry
 * and every {@link #CHECK_INTERVAL} for revocations, closing both sides. A revocation store that
 * cannot answer closes them too (fail closed: the session may have been signed out).
 *
 * <p>The checks run on the event loop's timer, and each asks the clock whether the session has
 * expired: with a clock moved ahead (tests), the next check, at most {@link #CHECK_INTERVAL} later,
 * sees the expiry.
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
        if (session.isExpiredAt(now)) {
            close("expired");
            return;
        }
        CompletionStage<Boolean> revoked;
        try {
            revoked = runtime.revocations().isRevoked(session, now);
        } catch (RuntimeException e) {
            revoked = CompletableFuture.failedFuture(e);
        }
        revoked.whenComplete((yes, failure) -> client.eventLoop().execute(() -> {
            if (failure != null) {
                close("could not be checked (" + failure + ")");
            } else if (yes) {
                close("was revoked");
            } else if (client.isActive()) {
                schedule();
            }
        }));
    }

    private void close(String why) {
        log.info("request {}: closing the upgraded connection of user {}: the session {}", requestId,
                session.userId(), why);
        client.close();
        upstream.close();
    }

    private void stop() {
        if (next != null) {
            next.cancel(false);
        }
    }
}
