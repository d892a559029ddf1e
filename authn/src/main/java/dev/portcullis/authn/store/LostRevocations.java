package dev.portcullis.authn.store;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a shared store (Redis, PostgreSQL) was found to hold no record of earlier revocations — a new store, or one
 * that lost its data — and the rule that follows: every session issued before the second of that moment is revoked
 * until the longest session lifetime has passed, since a revocation of it may have been lost. Sessions issued within
 * that very second are kept: a session's {@code issuedAt} has whole seconds, so one issued just before the loss
 * cannot be told from one issued just after it, and sending every sign-in of that second round again would loop.
 * The latest such moment holds. Thread-safe.
 */
public final class LostRevocations {
    private static final Logger LOG = LoggerFactory.getLogger(LostRevocations.class);

    private final String store;
    private final Duration maxSessionLifetime;
    private final Clock clock;
    private volatile Instant lostBefore = Instant.MIN;

    /**
     * @param store              the store's name in the log line, e.g. {@code Redis}
     * @param maxSessionLifetime the longest a session lives ({@code cookie_expire})
     * @param clock              the proxy's time
     */
    public LostRevocations(String store, Duration maxSessionLifetime, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.maxSessionLifetime = requireNonNull(maxSessionLifetime, "maxSessionLifetime");
        this.clock = requireNonNull(clock, "clock");
        if (maxSessionLifetime.isNegative() || maxSessionLifetime.isZero()) {
            throw new IllegalArgumentException("maxSessionLifetime: " + maxSessionLifetime + " (expected: > 0)");
        }
    }

    /** Whether {@code session} was issued before the second of a loss and could still be alive at {@code now}. */
    public boolean revokes(Session session, Instant now) {
        Instant lost = lostBefore;
        return session.issuedAt().isBefore(lost.truncatedTo(ChronoUnit.SECONDS))
                && now.isBefore(lost.plus(maxSessionLifetime));
    }

    /** A replica (this one or another) noticed a loss at {@code lost}; logged once for each later moment. */
    public void noticedAt(Instant lost) {
        synchronized (this) {
            if (!lost.isAfter(lostBefore)) {
                return;
            }
            lostBefore = lost;
        }
        if (clock.instant().isBefore(lost.plus(maxSessionLifetime))) {
            LOG.warn("{} holds no record of earlier revocations (a new store, or one that lost its data: restarted"
                    + " without persistence, emptied, failed over to an empty replica), noticed at {}: every session"
                    + " issued before then must sign in again", store, lost);
        }
    }
}
