package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.policy.internal.eval.PolicyEvaluator;
import dev.portcullis.policy.internal.eval.RuleSet;
import java.util.List;

/**
 * A route's compiled access rules. Immutable and thread-safe; {@link #evaluate} does no I/O and allocates
 * little (the {@link Decision}, and its explanation text when access is not allowed).
 *
 * <p>Answers, in this order of precedence: {@link Outcome#CLIENT_CERTIFICATE_REQUIRED} when a deny rule
 * holds because the client certificate is missing or invalid; {@link Outcome#SIGN_IN} when the request is
 * anonymous and the decision depends on who is asking; {@link Outcome#FORBIDDEN} when a deny rule holds;
 * {@link Outcome#ALLOW} when an allow rule holds; {@link Outcome#CLIENT_CERTIFICATE_REQUIRED} when nothing
 * allows and a required certificate is missing; otherwise {@link Outcome#FORBIDDEN}.
 */
public final class Policy {

    private final RuleSet rules;
    private final PolicyEvaluator evaluator;
    private final List<PolicyProblem> warnings;

    Policy(RuleSet rules, List<PolicyProblem> warnings) {
        this.rules = rules;
        this.evaluator = new PolicyEvaluator(rules);
        this.warnings = List.copyOf(warnings);
    }

    /** Decides whether {@code request} may pass, and why. */
    public Decision evaluate(AccessRequest request) {
        return evaluator.evaluate(requireNonNull(request, "request"));
    }

    /** True when only {@code accept} allows and nothing denies: the route needs no sign-in at all. */
    public boolean isPublic() {
        return rules.isPublic();
    }

    /**
     * True when the route has no allow rule, so every request is denied: the {@code check} explanation
     * "has no allow rules, so it lets no one in", known without a request.
     */
    public boolean letsNoOneIn() {
        return rules.letsNoOneIn();
    }

    /**
     * What compiled, as it does in Pomerium, but most likely does not mean what was written: a criterion
     * without a value ({@code - email:}), which matches no one. Each names its YAML path.
     */
    public List<PolicyProblem> warnings() {
        return warnings;
    }

    /** The compiled rules in a few readable lines, e.g. {@code allow if email is alice@example.com}. */
    public String describe() {
        return rules.describe();
    }

    @Override
    public String toString() {
        return "Policy[" + rules.routePath() + ": " + rules.describe().replace('\n', ';') + "]";
    }
}
