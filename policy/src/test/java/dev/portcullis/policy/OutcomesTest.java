package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the proxy must answer, the reason words, and the sentence that explains the decision. */
class OutcomesTest {

    private static final String ALICE_ONLY = "{allow: {or: [{email: {is: alice@example.com}}]}}";

    @Test
    void allowedNamesTheRuleThatMatched() {
        Decision decision = Policies.decide(ALICE_ONLY, as("alice@example.com"));

        assertThat(decision).isEqualTo(new Decision(true, Outcome.ALLOW, List.of("email-ok"),
                "allowed: routes[0].policy.allow.or[0] matched (email is alice@example.com)"));
    }

    @Test
    void deniedSaysWhatWasRequiredAndWhatTheRequestHad() {
        Decision decision = Policies.decide(ALICE_ONLY, as("bob@example.com"));

        assertThat(decision).isEqualTo(new Decision(false, Outcome.FORBIDDEN, List.of("email-unauthorized"),
                "denied: no allow rule matched; routes[0] requires email is alice@example.com, you are bob@example.com"));
    }

    @Test
    void anonymousIsAskedToSignInWhenWhoTheyAreMatters() {
        Decision decision = Policies.decide(ALICE_ONLY, anonymous());

        assertThat(decision).isEqualTo(new Decision(false, Outcome.SIGN_IN, List.of("user-unauthenticated"),
                "sign-in required: no allow rule matched; routes[0] requires email is alice@example.com,"
                        + " you are not signed in"));
    }

    @Test
    void anonymousIsForbiddenWhenSigningInCouldNotHelp() {
        Decision decision = Policies.decide("{allow: {or: [{source_ip: 10.0.0.0/8}]}}", anonymous().from("192.0.2.1"));

        assertThat(decision.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(decision.reasons()).containsExactly("source-ip-unauthorized");
        assertThat(decision.explanation()).isEqualTo(
                "denied: no allow rule matched; routes[0] requires source_ip 10.0.0.0/8, your address is 192.0.2.1");
    }

    @Test
    void anonymousIsAllowedWhenAnotherRuleDoesNotNeedIdentity() {
        Decision decision = Policies.decide("{allow: {or: [{email: alice@example.com}, {http_path: /public}]}}",
                anonymous().path("/public"));

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.reasons()).containsExactly("http-path-ok");
        assertThat(decision.explanation()).isEqualTo("allowed: routes[0].policy.allow.or[1] matched (http_path is /public)");
    }

    @Test
    void anAllowThatHoldsOnlyBecauseNoOneIsSignedInAsksForSignIn() {
        // "everyone but bob": anonymous matches only because there is no email to compare; as Pomerium, sign in first
        String everyoneButBob = "{allow: {not: [{email: bob@example.com}]}}";

        Decision anonymousDecision = Policies.decide(everyoneButBob, anonymous());
        assertThat(anonymousDecision.outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(anonymousDecision.explanation()).isEqualTo("sign-in required: routes[0].policy.allow.not depends"
                + " on who you are (none of [email is bob@example.com]) and you are not signed in");
        assertThat(Policies.decide(everyoneButBob, as("alice@example.com")).outcome()).isEqualTo(Outcome.ALLOW);
        Decision bob = Policies.decide(everyoneButBob, as("bob@example.com"));
        assertThat(bob.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(bob.explanation()).isEqualTo("denied: no allow rule matched; routes[0] requires none of"
                + " [email is bob@example.com], but email is bob@example.com holds");
    }

    @Test
    void aDenyAboutIdentityMakesAnonymousSignInEvenOnAnOpenRoute() {
        // otherwise mallory could walk past "deny mallory" by not signing in
        String policy = "{allow: {or: [{accept: true}]}, deny: {or: [{email: mallory@example.com}]}}";

        assertThat(Policies.decide(policy, anonymous()).outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(Policies.decide(policy, as("alice@example.com")).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(Policies.decide(policy, as("mallory@example.com")).outcome()).isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void aDenyThatHoldsWithoutIdentityForbidsAnonymousAtOnce() {
        // signing in could not help: the deny would still hold
        String policy = "{allow: {or: [{authenticated_user: true}]}, deny: {or: [{source_ip: 192.0.2.0/24}]}}";

        Decision decision = Policies.decide(policy, anonymous().from("192.0.2.7"));
        assertThat(decision.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(decision.reasons()).containsExactly("source-ip-ok");
        assertThat(decision.explanation()).isEqualTo("denied: routes[0].policy.deny.or[0] matched (source_ip 192.0.2.0/24)");
        assertThat(Policies.decide(policy, as("a@example.com").from("192.0.2.7")).outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(Policies.decide(policy, anonymous().from("198.51.100.7")).outcome()).isEqualTo(Outcome.SIGN_IN);
    }

    @Test
    void anonymousIsForbiddenWhenTheAllowRulesFailWhoeverAsks() {
        String policy = "{allow: {or: [{source_ip: 10.0.0.0/8}]}, deny: {or: [{email: mallory@example.com}]}}";

        Decision outside = Policies.decide(policy, anonymous().from("192.0.2.1"));
        assertThat(outside.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(outside.reasons()).containsExactly("source-ip-unauthorized");
        assertThat(Policies.decide(policy, anonymous().from("10.0.0.1")).outcome()).isEqualTo(Outcome.SIGN_IN);
    }

    @Test
    void aRouteWithOnlyDenyRulesForbidsAnonymousWithoutSignIn() {
        Decision decision = Policies.decide("{deny: {or: [{email: mallory@example.com}]}}", anonymous());

        assertThat(decision.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(decision.explanation()).isEqualTo("denied: routes[0] has no allow rules, so it lets no one in");
    }

    @Test
    void aDenyThatHoldsBecauseNoOneIsSignedInAsksForSignIn() {
        String policy = "{allow: {or: [{accept: true}]}, deny: {not: [{domain: example.com}]}}";

        Decision decision = Policies.decide(policy, anonymous());
        assertThat(decision.outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(decision.explanation()).isEqualTo("sign-in required: routes[0].policy.deny.not depends on who you"
                + " are (none of [domain is example.com]) and you are not signed in");
        assertThat(Policies.decide(policy, as("a@example.com")).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(Policies.decide(policy, as("a@example.org")).outcome()).isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void severalAllowRulesAreAllExplained() {
        String policy = "[{allow: {or: [{email: alice@example.com}]}}, {allow: {and: [{groups: admins}, {http_method: GET}]}}]";

        assertThat(Policies.decide(policy, as("bob@example.com").method("POST")).explanation())
                .isEqualTo("denied: no allow rule matched; routes[0] requires one of (email is alice@example.com,"
                        + " you are bob@example.com; groups has admins, you are in no groups and http_method is GET,"
                        + " the method is POST)");
    }

    @Test
    void reasonsAreSortedAndUnique() {
        String policy = "{allow: {and: [{email: a@example.com}, {domain: example.org}, {http_method: PUT},"
                + " {email: {starts_with: z}}]}}";

        assertThat(Policies.decide(policy, as("b@example.com")).reasons()).containsExactly(
                "domain-unauthorized", "email-unauthorized", "http-method-unauthorized");
    }

    @Test
    void rejectForbids() {
        Decision decision = Policies.decide("{allow: {or: [{reject: true}]}}", anonymous());

        assertThat(decision.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(decision.explanation()).isEqualTo("denied: no allow rule matched; routes[0] requires reject,"
                + " which never holds");
    }

    @Test
    void decisionsAreConsistent() {
        assertThatThrownBy(() -> new Decision(true, Outcome.FORBIDDEN, List.of(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allowed: true with outcome FORBIDDEN (expected: allowed exactly when the outcome is ALLOW)");
    }
}
