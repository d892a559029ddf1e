package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.Identity;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.match.ClaimPath;
import dev.portcullis.policy.internal.match.ListMatcher;
import dev.portcullis.policy.internal.match.Scalars;

/** {@code claim/<path>}: an identity provider claim, tested with a string-list matcher. */
public final class ClaimCriterion extends IdentityCriterion {

    private final ClaimPath claim;
    private final ListMatcher matcher;

    public ClaimCriterion(String path, ClaimPath claim, ListMatcher matcher) {
        super(path, "claim/" + claim.text() + " " + matcher.describe(), Reason.CLAIM_OK, Reason.CLAIM_UNAUTHORIZED);
        this.claim = claim;
        this.matcher = matcher;
    }

    @Override
    protected boolean test(Identity identity) {
        return matcher.matches(claim.find(identity.claims()));
    }

    @Override
    protected String actual(Identity identity) {
        Object value = claim.find(identity.claims());
        return value == null
                ? "you have no claim " + claim.text()
                : "your claim " + claim.text() + " is " + Scalars.display(value);
    }
}
