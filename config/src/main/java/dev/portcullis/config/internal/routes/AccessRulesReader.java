package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;

import dev.portcullis.config.internal.value.CollectionReader;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.AccessRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads who may use a route. Validation as Pomerium's: a public route cannot also list who is allowed,
 * and {@code allow_any_authenticated_user} cannot be combined with {@code allowed_users} or
 * {@code allowed_domains}. The {@code policy} is kept as parsed; the policy module compiles it.
 */
final class AccessRulesReader {

    private final ScalarReader scalars;
    private final CollectionReader collections;
    private final Diagnostics diagnostics;

    AccessRulesReader(ValueReaders readers) {
        this.scalars = readers.scalars();
        this.collections = readers.collections();
        this.diagnostics = readers.diagnostics();
    }

    Optional<AccessRules> read(SettingMap route) {
        int before = diagnostics.problemCount();
        AccessRules rules = new AccessRules(
                flag(route, "allow_public_unauthenticated_access"),
                flag(route, "allow_any_authenticated_user"),
                flag(route, "cors_allow_preflight"),
                list(route, "allowed_users"),
                list(route, "allowed_domains"),
                list(route, "allowed_groups"),
                route.get("allowed_idp_claims").flatMap(this::claims).orElse(Map.of()),
                route.get("policy").flatMap(this::policy).orElse(null));
        checkConflicts(route, rules);
        return diagnostics.problemCount() > before ? Optional.empty() : Optional.of(rules);
    }

    private void checkConflicts(SettingMap route, AccessRules rules) {
        List<String> grants = new ArrayList<>();
        addIf(grants, rules.allowAnyAuthenticatedUser(), "allow_any_authenticated_user");
        addIf(grants, !rules.allowedUsers().isEmpty(), "allowed_users");
        addIf(grants, !rules.allowedDomains().isEmpty(), "allowed_domains");
        addIf(grants, !rules.allowedGroups().isEmpty(), "allowed_groups");
        addIf(grants, !rules.allowedIdpClaims().isEmpty(), "allowed_idp_claims");
        addIf(grants, rules.policy() != null, "policy");
        if (rules.allowPublicUnauthenticatedAccess() && !grants.isEmpty()) {
            diagnostics.problem(route.at(), "allow_public_unauthenticated_access cannot be combined with "
                    + String.join(", ", grants) + " (a public route lets everyone in; remove one or the other)");
        }
        List<String> lists = grants.stream().filter(g -> g.equals("allowed_users") || g.equals("allowed_domains")).toList();
        if (rules.allowAnyAuthenticatedUser() && !lists.isEmpty()) {
            diagnostics.problem(route.at(), "allow_any_authenticated_user cannot be combined with "
                    + String.join(", ", lists) + " (any signed-in user may pass; remove one or the other)");
        }
    }

    private static void addIf(List<String> names, boolean condition, String name) {
        if (condition) {
            names.add(name);
        }
    }

    private boolean flag(SettingMap route, String key) {
        return route.get(key).flatMap(scalars::bool).orElse(false);
    }

    private List<String> list(SettingMap route, String key) {
        return route.get(key).flatMap(collections::list).orElse(List.of());
    }

    /** Claim name → accepted values; one value may be written without a list. */
    private Optional<Map<String, List<String>>> claims(Setting s) {
        Map<String, List<String>> claims = new LinkedHashMap<>();
        collections.map(s).ifPresent(map -> map.forEach((claim, values) -> {
            if (values != null) {
                collections.list(new Setting(s.at().key(claim), values)).ifPresent(v -> claims.put(claim, v));
            }
        }));
        return Optional.of(claims);
    }

    private Optional<Object> policy(Setting s) {
        Optional<Object> policy = collections.structure(s);
        if (policy.isPresent() && !(policy.get() instanceof Map) && !(policy.get() instanceof List)) {
            diagnostics.problem(s.at(), "expected policy rules (a map or a list of {allow, deny}), found "
                    + describe(policy.get()));
            return Optional.empty();
        }
        return policy;
    }
}
