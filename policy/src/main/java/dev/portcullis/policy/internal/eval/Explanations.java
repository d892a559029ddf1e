package dev.portcullis.policy.internal.eval;

import static dev.portcullis.policy.internal.eval.Verdict.has;
import static dev.portcullis.policy.internal.eval.Verdict.isHeld;

import dev.portcullis.policy.AccessRequest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plain-language sentence of a decision. Texts for allowed requests are made once per condition at
 * compile time, so the common path does not build strings.
 */
final class Explanations {

    private final RuleSet rules;
    private final Map<Condition, String> allowedTexts = new IdentityHashMap<>();

    Explanations(RuleSet rules) {
        this.rules = rules;
        rules.allow().forEach(this::prepareAllowed);
    }

    private void prepareAllowed(Condition condition) {
        allowedTexts.put(condition, "allowed: " + matchedText(condition));
        if (condition instanceof Operator operator) {
            operator.children().forEach(this::prepareAllowed);
        }
    }

    /** {@code allowed: routes[0].policy[0].allow.or[0] matched (email is alice@example.com)}. */
    String allowed(Condition[] allow, AccessRequest request) {
        Condition part = firstHeld(allow, request).decidingPart(request);
        String text = allowedTexts.get(part);
        return text != null ? text : "allowed: " + matchedText(part);
    }

    /** {@code denied: routes[0].policy[0].deny.or[1] matched (http_method is DELETE)}. */
    String matched(String prefix, Condition[] conditions, AccessRequest request) {
        return prefix + matchedText(firstHeld(conditions, request).decidingPart(request));
    }

    /** {@code denied: no allow rule matched; routes[0] requires email is alice@example.com, you are bob@example.com}. */
    String nothingAllowed(AccessRequest request) {
        if (rules.letsNoOneIn()) {
            return "denied: " + rules.routePath() + " has no allow rules, so it lets no one in";
        }
        return "denied: no allow rule matched; " + requirement(request);
    }

    String signInRequired(long allowVerdict, AccessRequest request) {
        if (!isHeld(allowVerdict)) {
            return "sign-in required: no allow rule matched; " + requirement(request);
        }
        List<Condition> all = new ArrayList<>(rules.allow());
        all.addAll(rules.deny());
        for (Condition condition : all) {
            if (has(condition.evaluate(request), Reason.USER_UNAUTHENTICATED)) {
                return "sign-in required: " + condition.path() + " depends on who you are ("
                        + condition.describe() + ") and you are not signed in";
            }
        }
        return "sign-in required: " + rules.routePath() + " depends on who you are";
    }

    private String requirement(AccessRequest request) {
        List<Condition> allow = rules.allow();
        String failures = allow.size() == 1
                ? allow.get(0).explainFailure(request)
                : allow.stream().map(c -> c.explainFailure(request))
                        .collect(Collectors.joining("; ", "one of (", ")"));
        return rules.routePath() + " requires " + failures;
    }

    private static String matchedText(Condition condition) {
        return condition.path() + " matched (" + condition.describe() + ")";
    }

    /** The first condition that holds, knowing one does; a single one is not evaluated again. */
    private static Condition firstHeld(Condition[] conditions, AccessRequest request) {
        if (conditions.length == 1) {
            return conditions[0];
        }
        for (Condition condition : conditions) {
            if (isHeld(condition.evaluate(request))) {
                return condition;
            }
        }
        throw new IllegalStateException("no condition holds");
    }
}
