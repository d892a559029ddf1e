package dev.portcullis.authn.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock standing still at an instant the test sets or moves: for units whose every time comes from their clock.
 * (A test that also waits on real time, a server or a timeout, wants {@link TestClock}.)
 */
public final class StoppedClock extends Clock {
    private volatile Instant now;

    public StoppedClock(Instant start) {
        this.now = requireNonNull(start, "start");
    }

    /** Moves the clock by {@code duration} (forward, or back when negative). */
    public void advance(Duration duration) {
        now = now.plus(requireNonNull(duration, "duration"));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now = requireNonNull(instant, "instant");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock is UTC only");
    }
}
