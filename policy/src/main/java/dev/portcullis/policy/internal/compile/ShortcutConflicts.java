package dev.portcullis.policy.internal.compile;

import dev.portcullis.policy.LegacyRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Pomerium's validation of the route shortcuts, with the config module's wording: a public route cannot
 * also say who is allowed, and {@code allow_any_authenticated_user} cannot be combined with
 * {@code allowed_users} or {@code allowed_domains}.
 */
public final class ShortcutConflicts {

    private ShortcutConflicts() {
    }

    public static void check(String routePath, LegacyRules legacy, boolean hasPolicy, Problems problems) {
        List<String> grants = new ArrayList<>();
        addIf(grants, legacy.anyAuthenticatedUser(), "allow_any_authenticated_user");
        addIf(grants, !legacy.users().isEmpty(), "allowed_users");
        addIf(grants, !legacy.domains().isEmpty(), "allowed_domains");
        addIf(grants, !legacy.groups().isEmpty(), "allowed_groups");
        addIf(grants, !legacy.claims().isEmpty(), "allowed_idp_claims");
        addIf(grants, hasPolicy, "policy");
        if (legacy.publicAccess() && !grants.isEmpty()) {
            problems.add(routePath, "allow_public_unauthenticated_access cannot be combined with "
                    + String.join(", ", grants) + " (a public route lets everyone in; remove one or the other)");
        }
        List<String> lists = grants.stream().filter(g -> g.equals("allowed_users") || g.equals("allowed_domains")).toList();
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
