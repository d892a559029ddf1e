package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Identity;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.eval.Verdict;
import java.util.Optional;

/**
 * A criterion about the signed-in person. For an anonymous request it fails with
 * {@code user-unauthenticated}, which tells the proxy that signing in could change the answer.
 */
public abstract class IdentityCriterion extends Criterion {

    private static final long UNAUTHENTICATED = Verdict.of(false, Reason.USER_UNAUTHENTICATED);

    protected IdentityCriterion(String path, String description, Reason held, Reason failed) {
        super(path, description, held, failed);
    }

    /** True when this person satisfies the criterion. */
    protected abstract boolean test(Identity identity);

    /** What this person has instead: {@code you are bob@example.com}. */
    protected abstract String actual(Identity identity);

    @Override
    public long evaluate(AccessRequest request) {
        return request.identity().isEmpty() ? UNAUTHENTICATED : super.evaluate(request);
    }

    @Override
    protected final boolean test(AccessRequest request) {
        Optional<Identity> identity = request.identity();
        return identity.isPresent() && test(identity.get());
    }

    @Override
    protected final String actual(AccessRequest request) {
        return request.identity().map(this::actual).orElse("you are not signed in");
    }
}
