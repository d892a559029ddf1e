package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;
import java.time.Instant;

/** {@code date}: the request time is at or after {@code after} and before {@code before} (either may be absent). */
public final class DateCriterion extends Criterion {

    private final Instant after;
    private final Instant before;

    public DateCriterion(String path, Instant after, Instant before) {
        super(path, "date" + (after == null ? "" : " after " + after) + (before == null ? "" : " before " + before),
                Reason.DATE_OK, Reason.DATE_UNAUTHORIZED);
        if (after == null && before == null) {
            throw new IllegalArgumentException(path + ": date needs after or before");
        }
        this.after = after;
        this.before = before;
    }

    @Override
    protected boolean test(AccessRequest request) {
        Instant time = request.time();
        return (after == null || !time.isBefore(after)) && (before == null || time.isBefore(before));
    }

    @Override
    protected String actual(AccessRequest request) {
        return "it is " + request.time();
    }
}
