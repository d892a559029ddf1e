package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** Compiles policies written in YAML flow style for route {@code routes[0]}. */
final class Policies {

    private Policies() {
    }

    static Policy compile(String flowYaml) {
        return compile(LegacyRules.none(), flowYaml);
    }

    static Policy compile(LegacyRules legacy, String flowYaml) {
        try {
            return PolicyCompiler.compile("routes[0]", legacy, flowYaml == null ? null : Flow.parse(flowYaml));
        } catch (PolicyException e) {
            throw new AssertionError("expected to compile, got:\n" + e.getMessage(), e);
        }
    }

    /** The problems, as {@code path: message} lines. */
    static List<String> problems(String flowYaml) {
        return problems(LegacyRules.none(), flowYaml == null ? null : Flow.parse(flowYaml));
    }

    static List<String> problems(LegacyRules legacy, Object policyYaml) {
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> PolicyCompiler.compile("routes[0]", legacy, policyYaml));
        assertThat(e).as("expected problems").isNotNull();
        return e.problems().stream().map(PolicyProblem::toString).toList();
    }

    static Decision decide(String flowYaml, Requests request) {
        return compile(flowYaml).evaluate(request.build());
    }

    static boolean allows(String flowYaml, Requests request) {
        return decide(flowYaml, request).allowed();
    }
}
