package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.eval.Verdict;

/** A leaf of the condition tree: tests one fact of the request, with a reason for either answer. */
public abstract class Criterion implements Condition {

    private final String path;
    private final String description;
    private final long heldVerdict;
    private final long failedVerdict;

    protected Criterion(String path, String description, Reason held, Reason failed) {
        this.path = path;
        this.description = description;
        this.heldVerdict = Verdict.of(true, held);
        this.failedVerdict = Verdict.of(false, failed);
    }

    /** True when the request satisfies this criterion. */
    protected abstract boolean test(AccessRequest request);

    /** What the request has instead, for explanations: {@code you are bob@example.com}. */
    protected abstract String actual(AccessRequest request);

    @Override
    public long evaluate(AccessRequest request) {
        return test(request) ? heldVerdict : failedVerdict;
    }

    @Override
    public final String path() {
        return path;
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public String explainFailure(AccessRequest request) {
        return description + ", " + actual(request);
    }
}
