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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads who may use a route: the shortcuts, {@code sub_policies} and the {@code policy:} rules, compiled by
 * the policy module (which also checks the shortcuts as Pomerium does); its problems and warnings are
 * reported with their full YAML paths.
 */
final class AccessRulesReader {

    private final ScalarReader scalars;
    private final CollectionReader collections;
    private final Diagnostics diagnostics;
    private final SubPoliciesReader subPolicies;
    private final AllowedClaimsReader claims;

    AccessRulesReader(ValueReaders readers) {
        this.scalars = readers.scalars();
        this.collections = readers.collections();
        this.diagnostics = readers.diagnostics();
        this.subPolicies = new SubPoliciesReader(readers);
        this.claims = new AllowedClaimsReader(readers.collections());
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
                route.get("allowed_idp_claims").map(claims::read).orElse(Map.of()),
                route.get("sub_policies").map(subPolicies::read).orElse(List.of()));
        Object policy = route.get("policy").flatMap(this::policy).orElse(null);
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return compile(route.at(), legacy, policy).map(compiled -> new AccessRules(legacy, policy, compiled));
    }

    private Optional<Policy> compile(ConfigPath at, LegacyRules legacy, Object policy) {
        try {
            Policy compiled = PolicyCompiler.compile(at.path(), legacy, policy);
            for (PolicyProblem warning : compiled.warnings()) {
                diagnostics.warning(new ConfigPath(warning.path(), at.environmentVariable()) + ": " + warning.message());
            }
            return Optional.of(compiled);
        } catch (PolicyException e) {
            for (PolicyProblem problem : e.problems()) {
                diagnostics.problem(new ConfigPath(problem.path(), at.environmentVariable()), problem.message());
            }
            return Optional.empty();
        }
    }

    private boolean flag(SettingMap route, String key) {
        return route.get(key).flatMap(scalars::bool).orElse(false);
    }

    private List<String> list(SettingMap route, String key) {
        return route.get(key).flatMap(collections::list).orElse(List.of());
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
