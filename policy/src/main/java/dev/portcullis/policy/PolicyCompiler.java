package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.policy.internal.compile.LegacyTranslator;
import dev.portcullis.policy.internal.compile.Problems;
import dev.portcullis.policy.internal.compile.RuleReader;
import dev.portcullis.policy.internal.compile.ShortcutConflicts;
import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.eval.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a route's access rules, once, when the configuration is loaded. Every mistake of the route is
 * reported together, each with its full YAML path
 * ({@code routes[0].policy[1].allow.or[2]: unknown criterion "emial" (did you mean "email"?)}).
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    /**
     * Compiles the route's access rules: the legacy options become one {@code allow: or:} rule (COMPAT.md),
     * joined by the route's {@code policy:} rules.
     *
     * @param yamlPath   the route's path, e.g. {@code routes[0]}; problems are named below it
     * @param legacy     the route's legacy options ({@link LegacyRules#none()} when there are none)
     * @param policyYaml the route's {@code policy:} as parsed YAML: null, a rule map, or a list of rules
     * @throws PolicyException listing every problem, when the rules cannot be compiled
     */
    public static Policy compile(String yamlPath, LegacyRules legacy, Object policyYaml) throws PolicyException {
        requireNonNull(yamlPath, "yamlPath");
        requireNonNull(legacy, "legacy");
        Problems problems = new Problems();
        ShortcutConflicts.check(yamlPath, legacy, problems);
        List<Condition> allow = new ArrayList<>();
        LegacyTranslator.translate(yamlPath, legacy).ifPresent(allow::add);
        RuleReader reader = new RuleReader(problems);
        reader.readDocument(policyYaml, yamlPath + ".policy");
        if (problems.count() > 0) {
            throw new PolicyException(problems.list());
        }
        allow.addAll(reader.allow());
        return new Policy(new RuleSet(yamlPath, allow, reader.deny()), problems.warnings());
    }
}
