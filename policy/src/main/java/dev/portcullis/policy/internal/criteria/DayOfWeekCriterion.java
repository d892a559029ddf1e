package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;
import java.time.DayOfWeek;
import java.time.Instant;

/**
 * {@code day_of_week}: the request falls on one of the given days, in UTC (Pomerium's matcher has no time
 * zone; use {@code time_of_day} with a zone for local hours).
 */
public final class DayOfWeekCriterion extends Criterion {

    private static final long SECONDS_PER_DAY = 86_400;
    /** 1970-01-01, epoch day 0, was a Thursday: Monday-based index 3. */
    private static final int EPOCH_DAY_INDEX = 3;

    private final int days;

    /**
     * @param days bit {@code d.getValue() - 1} set for each allowed {@link DayOfWeek} {@code d}
     * @param text the days as written, for descriptions
     */
    public DayOfWeekCriterion(String path, int days, String text) {
        super(path, "day_of_week " + text, Reason.DAY_OF_WEEK_OK, Reason.DAY_OF_WEEK_UNAUTHORIZED);
        this.days = days;
    }

    @Override
    protected boolean test(AccessRequest request) {
        return (days & (1 << dayIndex(request.time()))) != 0;
    }

    /** Monday = 0 … Sunday = 6, in UTC, without allocating. */
    static int dayIndex(Instant time) {
        long epochDay = Math.floorDiv(time.getEpochSecond(), SECONDS_PER_DAY);
        return (int) Math.floorMod(epochDay + EPOCH_DAY_INDEX, 7L);
    }

    @Override
    protected String actual(AccessRequest request) {
        return "it is " + DayOfWeek.of(dayIndex(request.time()) + 1) + " (UTC)";
    }
}
