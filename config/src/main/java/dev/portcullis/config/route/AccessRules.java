package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import dev.portcullis.policy.LegacyRules;
import dev.portcullis.policy.Policy;

/**
 * Who may use a route: the options as written, and the policy compiled from them when the
 * configuration was loaded (evaluated per request, never compiled again).
 *
 * @param legacy   the older shortcuts: {@code allow_public_unauthenticated_access},
 *                 {@code allow_any_authenticated_user}, {@code cors_allow_preflight},
 *                 {@code allowed_users}, {@code allowed_domains}, {@code allowed_groups},
 *                 {@code allowed_idp_claims}, {@code sub_policies}
 * @param policy   the route's {@code policy:} (PPL) as parsed YAML: a map, a list, or null
 * @param compiled the shortcuts and the {@code policy:} rules compiled together
 */
public record AccessRules(LegacyRules legacy, Object policy, Policy compiled) {
    public AccessRules {
        requireNonNull(legacy, "legacy");
        requireNonNull(compiled, "compiled");
    }
}
