package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policies that look like mistakes but load in Pomerium, and mean here what they mean there. */
class LoadsAsInPomeriumTest {

    private static List<String> warnings(Policy policy) {
        return policy.warnings().stream().map(PolicyProblem::toString).toList();
    }

    @Test
    void aCriterionWithoutAValueMatchesNoOneWithAWarningNamingItsPath() {
        // YAML "- email:" with nothing after it: Pomerium compares the email with null
        Policy policy = Policies.compile("{allow: {or: [{email: }, {groups: }, {claim/department: }, {domain: example.com}]}}");

        assertThat(warnings(policy)).containsExactly(
                "routes[0].policy.allow.or[0].email: has no value, so it matches no one (as in Pomerium); give it"
                        + " one, e.g. email: {is: …}, or remove it",
                "routes[0].policy.allow.or[1].groups: has no value, so it matches no one (as in Pomerium); give it"
                        + " one, e.g. groups: {has: …}, or remove it",
                "routes[0].policy.allow.or[2].claim/department: has no value, so it matches no one (as in Pomerium);"
                        + " give it one, e.g. claim/department: {has: …}, or remove it");
        Identity withEverything = new Identity("", "", List.of(""), Map.of("department", ""));
        assertThat(policy.evaluate(as(withEverything).build()).outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(policy.evaluate(as("alice@example.com").build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
    }

    @Test
    void aDenyWithoutAValueDeniesNoOne() {
        Policy policy = Policies.compile("{allow: {or: [{authenticated_user: true}]}, deny: {or: [{email: }]}}");

        assertThat(policy.evaluate(as("alice@example.com").build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.warnings()).hasSize(1);
    }

    @Test
    void aPolicyWithoutProblemsHasNoWarnings() {
        assertThat(Policies.compile("{allow: {or: [{email: alice@example.com}]}}").warnings()).isEmpty();
    }

    @Test
    void anEmptyPolicyIsNoErrorAndLetsNoOneIn() {
        for (String empty : List.of("{}", "[]", "[{}]", "[{}, {}]")) {
            Policy policy = Policies.compile(empty);
            assertThat(policy.letsNoOneIn()).as(empty).isTrue();
            assertThat(policy.evaluate(as("alice@example.com").build()).outcome()).as(empty).isEqualTo(Outcome.FORBIDDEN);
            assertThat(policy.warnings()).as(empty).isEmpty();
        }
    }

    @Test
    void anEmptyRuleNextToRealOnesAddsNothing() {
        Policy policy = Policies.compile("[{}, {allow: {or: [{email: alice@example.com}]}}]");

        assertThat(policy.evaluate(as("alice@example.com").build()).allowed()).isTrue();
        assertThat(policy.evaluate(as("bob@example.com").build()).allowed()).isFalse();
    }
}
