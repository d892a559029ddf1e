package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;

/** {@code accept} (always holds, reason {@code accept}) and {@code reject} (never holds, reason {@code reject}). */
public final class ConstantCriterion extends Criterion {

    private final boolean holds;

    private ConstantCriterion(String path, boolean holds) {
        super(path, holds ? "accept" : "reject", Reason.ACCEPT, Reason.REJECT);
        this.holds = holds;
    }

    public static ConstantCriterion accept(String path) {
        return new ConstantCriterion(path, true);
    }

    public static ConstantCriterion reject(String path) {
        return new ConstantCriterion(path, false);
    }

    @Override
    protected boolean test(AccessRequest request) {
        return holds;
    }

    @Override
    protected String actual(AccessRequest request) {
        return "which never holds";
    }

    @Override
    public boolean acceptsEveryone() {
        return holds;
    }
}
