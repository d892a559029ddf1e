package dev.portcullis.policy.internal.eval;

import static dev.portcullis.policy.internal.eval.Verdict.has;
import static dev.portcullis.policy.internal.eval.Verdict.isHeld;
import static dev.portcullis.policy.internal.eval.Verdict.reasons;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Outcome;
import java.util.List;

/**
 * Decides a request against a {@link RuleSet}, as Pomerium's authorize service does:
 *
 * <ol>
 *   <li>a deny rule holds because the client certificate is missing or invalid: {@code CLIENT_CERTIFICATE_REQUIRED};
 *   <li>the request is anonymous and an identity criterion took part in the result
 *       ({@code user-unauthenticated} among the reasons of the allow or deny rules), unless the reasons show
 *       that signing in could not change the answer (no allow rule, allow rules that failed or a deny rule
 *       that held without {@code user-unauthenticated}): {@code SIGN_IN};
 *   <li>a deny rule holds: {@code FORBIDDEN};
 *   <li>an allow rule holds: {@code ALLOW};
 *   <li>nothing allows, and a client certificate was required: {@code CLIENT_CERTIFICATE_REQUIRED};
 *   <li>otherwise: {@code FORBIDDEN}.
 * </ol>
 *
 * <p>Step 2 also applies when an allow rule holds only because an identity criterion failed (under
 * {@code not} or {@code nor}): whether it holds depends on who is asking, so the person signs in first.
 * Evaluation itself allocates nothing; building the {@link Decision} allocates the record (and, on the
 * paths that deny, the explanation text).
 */
public final class PolicyEvaluator {

    private static final long CERTIFICATE_REASONS =
            Reason.CLIENT_CERTIFICATE_REQUIRED.bit() | Reason.INVALID_CLIENT_CERTIFICATE.bit();

    private final Condition[] allow;
    private final Condition[] deny;
    private final Explanations explanations;
    private volatile ReasonWords lastWords;

    public PolicyEvaluator(RuleSet rules) {
        this.allow = rules.allow().toArray(Condition[]::new);
        this.deny = rules.deny().toArray(Condition[]::new);
        this.explanations = new Explanations(rules);
    }

    public Decision evaluate(AccessRequest request) {
        long allowed = anyOf(allow, request);
        long denied = anyOf(deny, request);
        if (isHeld(denied) && (denied & CERTIFICATE_REASONS) != 0) {
            return decision(Outcome.CLIENT_CERTIFICATE_REQUIRED, denied,
                    explanations.matched("client certificate required: ", deny, request));
        }
        if (request.identity().isEmpty() && signingInCouldHelp(allowed, denied)) {
            return decision(Outcome.SIGN_IN, reasons(allowed) | reasons(denied),
                    explanations.signInRequired(allowed, request));
        }
        if (isHeld(denied)) {
            return decision(Outcome.FORBIDDEN, denied, explanations.matched("denied: ", deny, request));
        }
        if (isHeld(allowed)) {
            return decision(Outcome.ALLOW, allowed, explanations.allowed(allow, request));
        }
        Outcome outcome = (allowed & CERTIFICATE_REASONS) != 0 ? Outcome.CLIENT_CERTIFICATE_REQUIRED : Outcome.FORBIDDEN;
        return decision(outcome, allowed, explanations.nothingAllowed(request));
    }

    /**
     * An identity criterion took part in the result ({@code user-unauthenticated}), so the answer may change
     * once the person has signed in. Not when the reasons show it could not: no allow rule, allow rules that
     * failed without {@code user-unauthenticated}, or a deny rule that held without it.
     */
    private boolean signingInCouldHelp(long allowed, long denied) {
        boolean allowCouldHold = isHeld(allowed) || has(allowed, Reason.USER_UNAUTHENTICATED);
        boolean denyCouldFail = !isHeld(denied) || has(denied, Reason.USER_UNAUTHENTICATED);
        return allow.length > 0 && allowCouldHold && denyCouldFail
                && has(allowed | denied, Reason.USER_UNAUTHENTICATED);
    }

    /** Pomerium's or-merge of rules: holds with the reasons of those that hold, else fails with all reasons. */
    private static long anyOf(Condition[] conditions, AccessRequest request) {
        long heldReasons = 0;
        long failedReasons = 0;
        boolean held = false;
        for (Condition condition : conditions) {
            long verdict = condition.evaluate(request);
            if (isHeld(verdict)) {
                held = true;
                heldReasons |= reasons(verdict);
            } else {
                failedReasons |= reasons(verdict);
            }
        }
        return held ? Verdict.holds(heldReasons) : Verdict.fails(failedReasons);
    }

    private Decision decision(Outcome outcome, long verdict, String explanation) {
        return new Decision(outcome == Outcome.ALLOW, outcome, words(reasons(verdict)), explanation);
    }

    /** The words of a reason set; the last list made is kept, as a route mostly decides for the same reasons. */
    private List<String> words(long reasons) {
        ReasonWords last = lastWords;
        if (last != null && last.reasons == reasons) {
            return last.words;
        }
        List<String> words = Reason.words(reasons);
        lastWords = new ReasonWords(reasons, words);
        return words;
    }

    /** An immutable pair, so a racing reader sees a consistent one. */
    private record ReasonWords(long reasons, List<String> words) {
    }
}
