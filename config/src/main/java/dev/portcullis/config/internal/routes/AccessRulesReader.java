package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;

import dev.portcullis.config.internal.value.CollectionReader;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.route.AccessRules;
import dev.portcullis.policy.LegacyRules;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyCompiler;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.policy.PolicyProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads who may use a route. Validation as Pomerium's: a public route cannot also list who is allowed,
 * and {@code allow_any_authenticated_user} cannot be combined with {@code allowed_users} or
 * {@code allowed_domains}. The shortcuts and the {@code policy:} rules are then compiled by the
 * policy module; its problems are reported with their full YAML paths.
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
        LegacyRules legacy = new LegacyRules(
                flag(route, "allow_public_unauthenticated_access"),
                flag(route, "allow_any_authenticated_user"),
                flag(route, "cors_allow_preflight"),
                list(route, "allowed_users"),
                list(route, "allowed_domains"),
                list(route, "allowed_groups"),
                route.get("allowed_idp_claims").flatMap(this::claims).orElse(Map.of()));
        Object policy = route.get("policy").flatMap(this::policy).orElse(null);
        checkConflicts(route, legacy, policy);
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return compile(route.at(), legacy, policy).map(compiled -> new AccessRules(legacy, policy, compiled));
    }

    private Optional<Policy> compile(ConfigPath at, LegacyRules legacy, Object policy) {
        try {
            return Optional.of(PolicyCompiler.compile(at.path(), legacy, policy));
        } catch (PolicyException e) {
            for (PolicyProblem problem : e.problems()) {
                diagnostics.problem(new ConfigPath(problem.path(), at.environmentVariable()), problem.message());
            }
            return Optional.empty();
        }
    }

    private void checkConflicts(SettingMap route, LegacyRules legacy, Object policy) {
        List<String> grants = new ArrayList<>();
        addIf(grants, legacy.anyAuthenticatedUser(), "allow_any_authenticated_user");
        addIf(grants, !legacy.users().isEmpty(), "allowed_users");
        addIf(grants, !legacy.domains().isEmpty(), "allowed_domains");
        addIf(grants, !legacy.groups().isEmpty(), "allowed_groups");
        addIf(grants, !legacy.claims().isEmpty(), "allowed_idp_claims");
        addIf(grants, policy != null, "policy");
        if (legacy.publicAccess() && !grants.isEmpty()) {
            diagnostics.problem(route.at(), "allow_public_unauthenticated_access cannot be combined with "
                    + String.join(", ", grants) + " (a public route lets everyone in; remove one or the other)");
        }
        List<String> lists = grants.stream().filter(g -> g.equals("allowed_users") || g.equals("allowed_domains")).toList();
        if (legacy.anyAuthenticatedUser() && !lists.isEmpty()) {
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
