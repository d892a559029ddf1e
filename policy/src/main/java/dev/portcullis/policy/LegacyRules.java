package dev.portcullis.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's access options from before the policy language. The compiler turns them into one
 * {@code allow: or:} rule, in this order: {@code accept} (public access), {@code cors_preflight},
 * {@code authenticated_user}, {@code domain: {is: d}} per domain, {@code user: {is: u}} and
 * {@code email: {is: u}} per user, {@code groups: {has: g}} per group, {@code claim/<k>: v} per claim value.
 *
 * @param publicAccess         {@code allow_public_unauthenticated_access}
 * @param anyAuthenticatedUser {@code allow_any_authenticated_user}
 * @param corsPreflight        {@code cors_allow_preflight}
 * @param users                {@code allowed_users}: user ids or email addresses
 * @param domains              {@code allowed_domains}
 * @param groups               {@code allowed_groups}
 * @param claims               {@code allowed_idp_claims}: claim name to accepted values
 */
public record LegacyRules(boolean publicAccess, boolean anyAuthenticatedUser, boolean corsPreflight,
        List<String> users, List<String> domains, List<String> groups, Map<String, List<String>> claims) {
    public LegacyRules {
        users = users == null ? List.of() : List.copyOf(users);
        domains = domains == null ? List.of() : List.copyOf(domains);
        groups = groups == null ? List.of() : List.copyOf(groups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (claims != null) {
            claims.forEach((k, v) -> copy.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        // Kept in declaration order, so the compiled rule reads like the YAML.
        claims = java.util.Collections.unmodifiableMap(copy);
    }

    /** No legacy option set. */
    public static LegacyRules none() {
        return new LegacyRules(false, false, false, List.of(), List.of(), List.of(), Map.of());
    }

    /** True when no legacy option is set. */
    public boolean isEmpty() {
        return !publicAccess && !anyAuthenticatedUser && !corsPreflight && users.isEmpty() && domains.isEmpty()
                && groups.isEmpty() && claims.isEmpty();
    }
}
