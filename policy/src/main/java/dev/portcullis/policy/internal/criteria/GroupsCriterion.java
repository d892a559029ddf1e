package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.Identity;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.match.ListMatcher;

/** {@code groups}: the identity's groups, tested with a string-list matcher. */
public final class GroupsCriterion extends IdentityCriterion {

    private final ListMatcher matcher;

    public GroupsCriterion(String path, ListMatcher matcher) {
        super(path, "groups " + matcher.describe(), Reason.GROUPS_OK, Reason.GROUPS_UNAUTHORIZED);
        this.matcher = matcher;
    }

    @Override
    protected boolean test(Identity identity) {
        return matcher.matches(identity.groups());
    }

    @Override
    protected String actual(Identity identity) {
        return identity.groups().isEmpty() ? "you are in no groups" : "your groups are " + identity.groups();
    }
}
