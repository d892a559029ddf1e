package dev.portcullis.proxy.store;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.proxy.log.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the shared store answers, told once per change: the first failure writes the {@code session_store_lost}
 * audit event (at start too, when Redis is not there yet: one line, then the proxy keeps trying), the first answer
 * after it {@code session_store_found}; the commands in between are silent. Every answer is passed on to
 * {@code next} (the metrics). Called on the store client's threads; never blocks.
 */
public final class StoreHealth implements StoreObserver {
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    private enum State { UNKNOWN, UP, DOWN }

    private final String store;
    private final StoreObserver next;
    private final Clock clock;
    private State state = State.UNKNOWN;
    private Instant lostAt = Instant.MIN;

    /**
     * @param store what and where the store is, without credentials (e.g. {@code redis at redis:6379})
     * @param next  told of every answer as well
     */
    public StoreHealth(String store, StoreObserver next, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.next = requireNonNull(next, "next");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public void answered(long nanos) {
        next.answered(nanos);
        State was;
        Instant since;
        synchronized (this) {
            was = state;
            since = lostAt;
            state = State.UP;
        }
        if (was == State.UNKNOWN) {
            log.info("session store: connected to {}", store);
        } else if (was == State.DOWN) {
            AuditLog.sessionStoreFound(store, Duration.between(since, clock.instant()));
        }
    }

    @Override
    public void failed(long nanos, StoreUnavailable failure) {
        next.failed(nanos, failure);
        boolean lost;
        synchronized (this) {
            lost = state != State.DOWN;
            if (lost) {
                state = State.DOWN;
                lostAt = clock.instant();
            }
        }
        if (lost) {
            AuditLog.sessionStoreLost(store, StoreUnavailable.describe(failure));
        }
    }
}
