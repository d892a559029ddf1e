package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.Identity;
import dev.portcullis.policy.internal.eval.Reason;

/** {@code authenticated_user}: anyone signed in ({@code user-ok}); anonymous: {@code user-unauthenticated}. */
public final class AuthenticatedUserCriterion extends IdentityCriterion {

    public AuthenticatedUserCriterion(String path) {
        super(path, "authenticated_user", Reason.USER_OK, Reason.USER_UNAUTHORIZED);
    }

    @Override
    protected boolean test(Identity identity) {
        return true;
    }

    @Override
    protected String actual(Identity identity) {
        return "you are signed in";
    }
}
