package dev.portcullis.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot be used. Carries every problem found, not only the first. */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    /** @param problems at least one problem */
    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order found: file first, then top-level options, then routes. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
