package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long to wait before trying again after consecutive failures: {@code first} after the first,
 * doubling after each further one, never more than {@code longest}. The default, one minute doubling
 * to six hours, stays well inside Let's Encrypt's failed-validation limit (5 per hour per name).
 */
public record Backoff(Duration first, Duration longest) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMinutes(1), Duration.ofHours(6));

    public Backoff {
        requireNonNull(first, "first");
        requireNonNull(longest, "longest");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first: " + first + " (expected: > 0)");
        }
        if (longest.compareTo(first) < 0) {
            throw new IllegalArgumentException("longest: " + longest + " (expected: >= first, " + first + ")");
        }
    }

    /** The wait after {@code failures} consecutive failures ({@code failures >= 1}). */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures: " + failures + " (expected: >= 1)");
        }
        Duration delay = first;
        for (int i = 1; i < failures && delay.compareTo(longest) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(longest) > 0 ? longest : delay;
    }
}
