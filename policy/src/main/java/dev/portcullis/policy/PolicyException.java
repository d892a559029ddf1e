package dev.portcullis.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A route's access rules cannot be compiled; {@link #problems()} lists every mistake found. */
public final class PolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    public PolicyException(List<PolicyProblem> problems) {
        super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every mistake, in the order they appear in the YAML. */
    public List<PolicyProblem> problems() {
        return problems;
    }
}
