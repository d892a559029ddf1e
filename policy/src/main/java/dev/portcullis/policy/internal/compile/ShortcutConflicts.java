package dev.portcullis.policy.internal.compile;

import dev.portcullis.policy.LegacyRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Pomerium's validation of the route shortcuts (config/policy.go {@code Validate}): a public route cannot
 * also list {@code allow_any_authenticated_user}, {@code allowed_users} or {@code allowed_domains}, and
 * {@code allow_any_authenticated_user} cannot be combined with {@code allowed_users} or
 * {@code allowed_domains}. Public access with {@code allowed_groups}, {@code allowed_idp_claims},
 * {@code sub_policies} or {@code policy} is accepted, as in Pomerium: the allow side always holds, and the
 * route's deny rules still apply ("public except this").
 */
public final class ShortcutConflicts {

    private ShortcutConflicts() {
    }

    public static void check(String routePath, LegacyRules legacy, Problems problems) {
        List<String> lists = new ArrayList<>();
        addIf(lists, !legacy.users().isEmpty(), "allowed_users");
        addIf(lists, !legacy.domains().isEmpty(), "allowed_domains");
        List<String> grants = new ArrayList<>();
        addIf(grants, legacy.anyAuthenticatedUser(), "allow_any_authenticated_user");
        grants.addAll(lists);
        if (legacy.publicAccess() && !grants.isEmpty()) {
            problems.add(routePath, "allow_public_unauthenticated_access cannot be combined with "
                    + String.join(", ", grants) + " (a public route lets everyone in; remove one or the other)");
        }
        if (legacy.anyAuthenticatedUser() && !lists.isEmpty()) {
            problems.add(routePath, "allow_any_authenticated_user cannot be combined with "
                    + String.join(", ", lists) + " (any signed-in user may pass; remove one or the other)");
        }
    }

    private static void addIf(List<String> names, boolean condition, String name) {
        if (condition) {
            names.add(name);
        }
    }
}
