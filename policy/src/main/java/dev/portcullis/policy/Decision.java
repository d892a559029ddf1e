package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of evaluating a route's policy for one request.
 *
 * @param allowed     true only when {@code outcome} is {@link Outcome#ALLOW}
 * @param outcome     what the proxy must answer
 * @param reasons     Pomerium's reason words, sorted ({@code email-ok}, {@code user-unauthenticated}, …)
 * @param explanation one plain-language sentence: which rule decided, or what was required and what the
 *                    request had ({@code denied: no allow rule matched; routes[0] requires email is
 *                    alice@example.com, you are bob@example.com})
 */
public record Decision(boolean allowed, Outcome outcome, List<String> reasons, String explanation) {
    public Decision {
        requireNonNull(outcome, "outcome");
        reasons = List.copyOf(reasons);
        requireNonNull(explanation, "explanation");
        if (allowed != (outcome == Outcome.ALLOW)) {
            throw new IllegalArgumentException("allowed: " + allowed + " with outcome " + outcome
                    + " (expected: allowed exactly when the outcome is ALLOW)");
        }
    }
}
