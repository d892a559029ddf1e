package dev.portcullis.policy.internal.compile;

import static dev.portcullis.policy.internal.compile.Problems.index;
import static dev.portcullis.policy.internal.compile.Problems.key;

import dev.portcullis.policy.LegacyRules;
import dev.portcullis.policy.internal.criteria.AuthenticatedUserCriterion;
import dev.portcullis.policy.internal.criteria.ClaimCriterion;
import dev.portcullis.policy.internal.criteria.ConstantCriterion;
import dev.portcullis.policy.internal.criteria.CorsPreflightCriterion;
import dev.portcullis.policy.internal.criteria.GroupsCriterion;
import dev.portcullis.policy.internal.criteria.IdentityStringCriterion;
import dev.portcullis.policy.internal.criteria.IdentityStringCriterion.Field;
import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.eval.Operator;
import dev.portcullis.policy.internal.match.ClaimPath;
import dev.portcullis.policy.internal.match.ListMatcher;
import dev.portcullis.policy.internal.match.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the legacy options into one {@code allow: or:} rule, as Pomerium does: {@code accept},
 * {@code cors_preflight}, {@code authenticated_user}, {@code domain: {is: d}} per domain, {@code user: {is: u}}
 * and {@code email: {is: u}} per user, {@code groups: {has: g}} per group, {@code claim/<k>: v} per claim value.
 * Each criterion carries the path of the option it came from ({@code routes[0].allowed_users[1]}).
 */
public final class LegacyTranslator {

    private LegacyTranslator() {
    }

    /** The rule, or empty when no legacy option is set. */
    public static Optional<Condition> translate(String routePath, LegacyRules legacy) {
        List<Condition> criteria = new ArrayList<>();
        if (legacy.publicAccess()) {
            criteria.add(ConstantCriterion.accept(key(routePath, "allow_public_unauthenticated_access")));
        }
        if (legacy.corsPreflight()) {
            criteria.add(new CorsPreflightCriterion(key(routePath, "cors_allow_preflight")));
        }
        if (legacy.anyAuthenticatedUser()) {
            criteria.add(new AuthenticatedUserCriterion(key(routePath, "allow_any_authenticated_user")));
        }
        for (int i = 0; i < legacy.domains().size(); i++) {
            criteria.add(new IdentityStringCriterion(index(key(routePath, "allowed_domains"), i), Field.DOMAIN,
                    StringMatcher.is(legacy.domains().get(i))));
        }
        for (int i = 0; i < legacy.users().size(); i++) {
            String path = index(key(routePath, "allowed_users"), i);
            StringMatcher user = StringMatcher.is(legacy.users().get(i));
            criteria.add(new IdentityStringCriterion(path, Field.USER, user));
            criteria.add(new IdentityStringCriterion(path, Field.EMAIL, user));
        }
        for (int i = 0; i < legacy.groups().size(); i++) {
            criteria.add(new GroupsCriterion(index(key(routePath, "allowed_groups"), i),
                    ListMatcher.has(legacy.groups().get(i))));
        }
        legacy.claims().forEach((claim, values) -> {
            for (int i = 0; i < values.size(); i++) {
                criteria.add(new ClaimCriterion(index(key(key(routePath, "allowed_idp_claims"), claim), i),
                        new ClaimPath(claim), ListMatcher.has(values.get(i))));
            }
        });
        return criteria.isEmpty() ? Optional.empty() : Optional.of(new Operator(Operator.Kind.OR, routePath, criteria));
    }
}
