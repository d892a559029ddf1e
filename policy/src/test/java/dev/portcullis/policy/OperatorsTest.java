package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operators with Pomerium's meanings: and = all, or = any, not = none of them (¬A ∧ ¬B),
 * nor = not all of them (¬A ∨ ¬B); several operators and rules OR-ed; deny over allow.
 */
class OperatorsTest {

    // A = the method is GET, B = the path starts with /api
    private static final String A = "{http_method: GET}";
    private static final String B = "{http_path: {starts_with: /api}}";

    static Stream<Arguments> truthTable() {
        return Stream.of(
                // operator, A, B, allowed
                arguments("and", true, true, true),
                arguments("and", true, false, false),
                arguments("and", false, true, false),
                arguments("and", false, false, false),
                arguments("or", true, true, true),
                arguments("or", true, false, true),
                arguments("or", false, true, true),
                arguments("or", false, false, false),
                arguments("not", true, true, false),
                arguments("not", true, false, false),
                arguments("not", false, true, false),
                arguments("not", false, false, true),
                arguments("nor", true, true, false),
                arguments("nor", true, false, true),
                arguments("nor", false, true, true),
                arguments("nor", false, false, true));
    }

    @ParameterizedTest(name = "{0}: A={1} B={2} -> {3}")
    @MethodSource("truthTable")
    void operator(String operator, boolean a, boolean b, boolean allowed) {
        Requests request = anonymous().method(a ? "GET" : "POST").path(b ? "/api/x" : "/web");

        assertThat(Policies.allows("{allow: {" + operator + ": [" + A + ", " + B + "]}}", request)).isEqualTo(allowed);
    }

    @Test
    void notWithOneCriterionIsPlainNegation() {
        String policy = "{allow: {not: [{http_method: DELETE}]}}";

        assertThat(Policies.allows(policy, anonymous().method("GET"))).isTrue();
        assertThat(Policies.allows(policy, anonymous().method("DELETE"))).isFalse();
    }

    @Test
    void notAndNorCarryTheReasonsOfTheCriteriaThatDecided() {
        Decision none = Policies.decide("{allow: {not: [" + A + ", " + B + "]}}", anonymous().method("POST").path("/web"));
        Decision notAll = Policies.decide("{allow: {nor: [" + A + ", " + B + "]}}", anonymous().method("GET").path("/web"));

        assertThat(none.reasons()).containsExactly("http-method-unauthorized", "http-path-unauthorized");
        assertThat(notAll.reasons()).containsExactly("http-path-unauthorized");
    }

    @Test
    void andReportsOnlyTheCriteriaThatFailed() {
        Decision decision = Policies.decide("{allow: {and: [" + A + ", " + B + "]}}", anonymous().method("GET").path("/web"));

        assertThat(decision.reasons()).containsExactly("http-path-unauthorized");
    }

    @Test
    void orReportsTheCriteriaThatHeld() {
        Decision decision = Policies.decide("{allow: {or: [" + A + ", " + B + "]}}", anonymous().method("GET").path("/web"));

        assertThat(decision.reasons()).containsExactly("http-method-ok");
    }

    @Test
    void operatorsNestInsideOperators() {
        String policy = "{allow: {and: [{or: [{email: alice@example.com}, {email: bob@example.com}]},"
                + " {not: [{http_method: DELETE}]}]}}";

        assertThat(Policies.allows(policy, as("bob@example.com"))).isTrue();
        assertThat(Policies.allows(policy, as("bob@example.com").method("DELETE"))).isFalse();
        assertThat(Policies.allows(policy, as("carol@example.com"))).isFalse();
    }

    @Test
    void severalOperatorsInOneRuleAreOred() {
        String policy = "{allow: {and: [{claim/family_name: Smith}], or: [{domain: example.com}, {domain: example.org}]}}";

        assertThat(Policies.allows(policy, as("a@example.org"))).isTrue();
        assertThat(Policies.allows(policy, as("a@example.net"))).isFalse();
    }

    @Test
    void severalRulesAreOred() {
        String policy = "[{allow: {or: [{email: alice@example.com}]}}, {allow: {or: [{email: bob@example.com}]}}]";

        assertThat(Policies.allows(policy, as("alice@example.com"))).isTrue();
        assertThat(Policies.allows(policy, as("bob@example.com"))).isTrue();
        assertThat(Policies.allows(policy, as("carol@example.com"))).isFalse();
    }

    @Test
    void denyWinsOverAllow() {
        String policy = "{allow: {or: [{domain: example.com}]}, deny: {or: [{email: mallory@example.com}]}}";

        assertThat(Policies.allows(policy, as("alice@example.com"))).isTrue();
        Decision mallory = Policies.decide(policy, as("mallory@example.com"));
        assertThat(mallory.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(mallory.reasons()).containsExactly("email-ok");
        assertThat(mallory.explanation())
                .isEqualTo("denied: routes[0].policy.deny.or[0] matched (email is mallory@example.com)");
    }

    @Test
    void denyInAnotherRuleOfTheListWinsToo() {
        String policy = "[{allow: {or: [{accept: true}]}}, {deny: {and: [{http_method: DELETE}]}}]";

        assertThat(Policies.allows(policy, anonymous().method("GET"))).isTrue();
        assertThat(Policies.decide(policy, anonymous().method("DELETE")).outcome()).isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void denyAloneLetsNoOneIn() {
        Decision decision = Policies.decide("{deny: {or: [{http_method: DELETE}]}}", as("alice@example.com"));

        assertThat(decision.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(decision.explanation()).isEqualTo("denied: routes[0] has no allow rules, so it lets no one in");
    }

    static Stream<String> emptyRules() {
        return Stream.of(null, "[]", "{allow: {}}", "{allow: {and: []}}", "{allow: {or: []}}",
                "{allow: {not: []}}", "{allow: {nor: []}}", "[{allow: {or: []}}, {deny: {and: []}}]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyRules")
    void noCriteriaAtAllDeniesEveryone(String policy) {
        Policy compiled = Policies.compile(policy);

        assertThat(compiled.evaluate(as("alice@example.com").build()).outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(compiled.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(compiled.evaluate(anonymous().build()).reasons()).isEmpty();
    }

    @Test
    void emptyOperatorBesideARealOneAddsNothing() {
        String policy = "{allow: {not: [], or: [{email: alice@example.com}]}}";

        assertThat(Policies.allows(policy, as("alice@example.com"))).isTrue();
        assertThat(Policies.allows(policy, as("bob@example.com"))).isFalse();
    }

    @Test
    void theActionKeyPomeriumToleratesInARuleBodyIsIgnored() {
        assertThat(Policies.allows("{allow: {action: allow, or: [{accept: true}]}}", anonymous())).isTrue();
    }
}
