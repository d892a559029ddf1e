package dev.portcullis.policy.internal.eval;

import dev.portcullis.policy.AccessRequest;

/** A node of a compiled policy: a criterion or an operator over conditions. Immutable, thread-safe. */
public interface Condition {

    /** Evaluates this condition; see {@link Verdict} for the encoding. Allocates nothing. */
    long evaluate(AccessRequest request);

    /** The YAML path the condition was written at, e.g. {@code routes[0].policy[0].allow.or[1]}. */
    String path();

    /** The condition as a person would say it: {@code email is alice@example.com}. */
    String describe();

    /**
     * Why the condition does not hold for this request, for explanations:
     * {@code email is alice@example.com, you are bob@example.com}.
     */
    String explainFailure(AccessRequest request);

    /** The innermost condition that made this one hold, for "allowed: … matched (…)". */
    default Condition decidingPart(AccessRequest request) {
        return this;
    }

    /** True when this condition is {@code accept}, or only combines {@code accept} with and/or. */
    default boolean acceptsEveryone() {
        return false;
    }
}
