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
import java.util.Map;
import java.util.Optional;

/**
 * Turns the legacy options into one {@code allow: or:} rule, as Pomerium does: {@code accept},
 * {@code cors_preflight}, {@code authenticated_user}, {@code domain: {is: d}} per domain, {@code user: {is: u}}
 * and {@code email: {is: u}} per user, {@code groups: {has: g}} per group, {@code claim/<k>: v} per claim value,
 * then the same lists of each {@code sub_policies} entry (Pomerium's {@code AllAllowedUsers} and siblings).
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
        addLists(criteria, routePath, legacy.domains(), legacy.users(), legacy.groups(), legacy.claims());
        for (int i = 0; i < legacy.subPolicies().size(); i++) {
            LegacyRules.SubPolicy sub = legacy.subPolicies().get(i);
            addLists(criteria, index(key(routePath, "sub_policies"), i), sub.domains(), sub.users(), sub.groups(),
                    sub.claims());
        }
        return criteria.isEmpty() ? Optional.empty() : Optional.of(new Operator(Operator.Kind.OR, routePath, criteria));
    }

    /** The {@code allowed_*} lists found at {@code path}: the route's own, or one of its sub-policies'. */
    private static void addLists(List<Condition> criteria, String path, List<String> domains, List<String> users,
            List<String> groups, Map<String, List<String>> claims) {
        for (int i = 0; i < domains.size(); i++) {
            criteria.add(new IdentityStringCriterion(index(key(path, "allowed_domains"), i), Field.DOMAIN,
                    StringMatcher.is(domains.get(i))));
        }
        for (int i = 0; i < users.size(); i++) {
            String userPath = index(key(path, "allowed_users"), i);
            StringMatcher user = StringMatcher.is(users.get(i));
            criteria.add(new IdentityStringCriterion(userPath, Field.USER, user));
            criteria.add(new IdentityStringCriterion(userPath, Field.EMAIL, user));
        }
        for (int i = 0; i < groups.size(); i++) {
            criteria.add(new GroupsCriterion(index(key(path, "allowed_groups"), i), ListMatcher.has(groups.get(i))));
        }
        claims.forEach((claim, values) -> {
            for (int i = 0; i < values.size(); i++) {
                criteria.add(new ClaimCriterion(index(key(key(path, "allowed_idp_claims"), claim), i),
                        new ClaimPath(claim), ListMatcher.has(values.get(i))));
            }
        });
    }
}
