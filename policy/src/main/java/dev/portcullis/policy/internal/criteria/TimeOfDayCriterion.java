package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * {@code time_of_day}: the request's local time in the given zone is at or after {@code after} and before
 * {@code before}. When {@code after} is later than {@code before} the window crosses midnight
 * ({@code after: 22:00, before: 06:00}). The zone's rules apply, so daylight saving moves the window with
 * the clocks.
 */
public final class TimeOfDayCriterion extends Criterion {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final long after;
    private final long before;

    /** {@code after} and/or {@code before} as local times; null when absent (not both). */
    public TimeOfDayCriterion(String path, ZoneId zone, LocalTime after, LocalTime before) {
        super(path, "time_of_day" + (after == null ? "" : " after " + after)
                + (before == null ? "" : " before " + before) + " (" + zone.getId() + ")",
                Reason.TIME_OF_DAY_OK, Reason.TIME_OF_DAY_UNAUTHORIZED);
        if (after == null && before == null) {
            throw new IllegalArgumentException(path + ": time_of_day needs after or before");
        }
        this.zone = zone;
        this.rules = zone.getRules();
        this.after = after == null ? -1 : after.toNanoOfDay();
        this.before = before == null ? -1 : before.toNanoOfDay();
    }

    @Override
    protected boolean test(AccessRequest request) {
        long now = localNanoOfDay(request.time());
        boolean afterStart = after < 0 || now >= after;
        boolean beforeEnd = before < 0 || now < before;
        if (after >= 0 && before >= 0 && after > before) {
            return afterStart || beforeEnd;
        }
        return afterStart && beforeEnd;
    }

    private long localNanoOfDay(Instant time) {
        long offset = rules.getOffset(time).getTotalSeconds();
        long secondOfDay = Math.floorMod(time.getEpochSecond() + offset, SECONDS_PER_DAY);
        return secondOfDay * NANOS_PER_SECOND + time.getNano();
    }

    @Override
    protected String actual(AccessRequest request) {
        return "it is " + LocalTime.ofNanoOfDay(localNanoOfDay(request.time())) + " in " + zone.getId();
    }
}
