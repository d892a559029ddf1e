package dev.portcullis.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's access options from before the policy language. The compiler turns them into one
 * {@code allow: or:} rule, in this order: {@code accept} (public access), {@code cors_preflight},
 * {@code authenticated_user}, {@code domain: {is: d}} per domain, {@code user: {is: u}} and
 * {@code email: {is: u}} per user, {@code groups: {has: g}} per group, {@code claim/<k>: v} per claim value,
 * then the same for each of the {@code sub_policies}.
 *
 * @param publicAccess         {@code allow_public_unauthenticated_access}
 * @param anyAuthenticatedUser {@code allow_any_authenticated_user}
 * @param corsPreflight        {@code cors_allow_preflight}
 * @param users                {@code allowed_users}: user ids or email addresses
 * @param domains              {@code allowed_domains}
 * @param groups               {@code allowed_groups}
 * @param claims               {@code allowed_idp_claims}: claim name to accepted values
 * @param subPolicies          {@code sub_policies} (older Pomerium): more people the route lets in
 */
public record LegacyRules(boolean publicAccess, boolean anyAuthenticatedUser, boolean corsPreflight,
        List<String> users, List<String> domains, List<String> groups, Map<String, List<String>> claims,
        List<SubPolicy> subPolicies) {
    public LegacyRules {
        users = copy(users);
        domains = copy(domains);
        groups = copy(groups);
        claims = copy(claims);
        subPolicies = subPolicies == null ? List.of() : List.copyOf(subPolicies);
    }

    /** The options without {@code sub_policies}. */
    public LegacyRules(boolean publicAccess, boolean anyAuthenticatedUser, boolean corsPreflight,
            List<String> users, List<String> domains, List<String> groups, Map<String, List<String>> claims) {
        this(publicAccess, anyAuthenticatedUser, corsPreflight, users, domains, groups, claims, List.of());
    }

    /**
     * One entry of {@code sub_policies}: older Pomerium (and its Enterprise console) adds its lists to the
     * route's allow rule, next to the route's own {@code allowed_*} options.
     *
     * @param users   its {@code allowed_users}
     * @param domains its {@code allowed_domains}
     * @param groups  its {@code allowed_groups} (Pomerium before 0.15)
     * @param claims  its {@code allowed_idp_claims}
     */
    public record SubPolicy(List<String> users, List<String> domains, List<String> groups,
            Map<String, List<String>> claims) {
        public SubPolicy {
            users = copy(users);
            domains = copy(domains);
            groups = copy(groups);
            claims = copy(claims);
        }
    }

    /** No legacy option set. */
    public static LegacyRules none() {
        return new LegacyRules(false, false, false, List.of(), List.of(), List.of(), Map.of(), List.of());
    }

    /** True when no legacy option is set. */
    public boolean isEmpty() {
        return !publicAccess && !anyAuthenticatedUser && !corsPreflight && users.isEmpty() && domains.isEmpty()
                && groups.isEmpty() && claims.isEmpty() && subPolicies.isEmpty();
    }

    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Kept in declaration order, so the compiled rule reads like the YAML. */
    private static Map<String, List<String>> copy(Map<String, List<String>> claims) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (claims != null) {
            claims.forEach((k, v) -> copy.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        return Collections.unmodifiableMap(copy);
    }
}
