package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.Identity;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.match.StringMatcher;

/**
 * {@code user} (the user id), {@code email}, and {@code domain} (the part of the email after the last
 * {@code @}), each tested with a string matcher.
 */
public final class IdentityStringCriterion extends IdentityCriterion {

    /** Which fact of the identity is tested. */
    public enum Field {
        USER("user", Reason.USER_OK, Reason.USER_UNAUTHORIZED),
        EMAIL("email", Reason.EMAIL_OK, Reason.EMAIL_UNAUTHORIZED),
        DOMAIN("domain", Reason.DOMAIN_OK, Reason.DOMAIN_UNAUTHORIZED);

        private final String name;
        private final Reason held;
        private final Reason failed;

        Field(String name, Reason held, Reason failed) {
            this.name = name;
            this.held = held;
            this.failed = failed;
        }

        public String criterionName() {
            return name;
        }
    }

    private final Field field;
    private final StringMatcher matcher;

    public IdentityStringCriterion(String path, Field field, StringMatcher matcher) {
        super(path, field.name + " " + matcher.describe(), field.held, field.failed);
        this.field = field;
        this.matcher = matcher;
    }

    @Override
    protected boolean test(Identity identity) {
        return switch (field) {
            case USER -> matcher.matches(identity.userId());
            case EMAIL -> matcher.matches(identity.email());
            case DOMAIN -> identity.email() != null && identity.email().lastIndexOf('@') >= 0
                    && matcher.matches(identity.email(), identity.email().lastIndexOf('@') + 1);
        };
    }

    @Override
    protected String actual(Identity identity) {
        String email = identity.email();
        return switch (field) {
            case USER -> "your user id is " + identity.userId();
            case EMAIL -> email == null ? "you have no email address" : "you are " + email;
            case DOMAIN -> email == null || email.lastIndexOf('@') < 0
                    ? "you have no email domain"
                    : "your email domain is " + email.substring(email.lastIndexOf('@') + 1);
        };
    }
}
