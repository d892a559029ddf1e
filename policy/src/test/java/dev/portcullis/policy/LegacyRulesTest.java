package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The legacy options alone, mixed with {@code policy:}, and their conflicts. */
class LegacyRulesTest {

    private static LegacyRules users(String... users) {
        return new LegacyRules(false, false, false, List.of(users), List.of(), List.of(), Map.of());
    }

    @Test
    void publicAccessLetsEveryoneIn() {
        Policy policy = Policies.compile(new LegacyRules(true, false, false, null, null, null, null), null);

        Decision decision = policy.evaluate(anonymous().build());
        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.reasons()).containsExactly("accept");
        assertThat(decision.explanation())
                .isEqualTo("allowed: routes[0].allow_public_unauthenticated_access matched (accept)");
        assertThat(policy.isPublic()).isTrue();
    }

    @Test
    void anyAuthenticatedUser() {
        Policy policy = Policies.compile(new LegacyRules(false, true, false, null, null, null, null), null);

        assertThat(policy.evaluate(as("anyone@anywhere.example").build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.evaluate(as("anyone@anywhere.example").build()).reasons()).containsExactly("user-ok");
        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(policy.isPublic()).isFalse();
    }

    @Test
    void allowedUsersMatchTheUserIdOrTheEmail() {
        Policy policy = Policies.compile(users("alice@example.com", "u-bob"), null);

        assertThat(policy.evaluate(as("alice@example.com").build()).reasons()).containsExactly("email-ok");
        assertThat(policy.evaluate(as(new Identity("u-bob", "bob@example.com", null, null)).build()).reasons())
                .containsExactly("user-ok");
        Decision carol = policy.evaluate(as("carol@example.com").build());
        assertThat(carol.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(carol.reasons()).containsExactly("email-unauthorized", "user-unauthorized");
        assertThat(policy.describe())
                .isEqualTo("allow if any of [user is alice@example.com, email is alice@example.com,"
                        + " user is u-bob, email is u-bob]");
    }

    @Test
    void theAzureGuidesAllowedUsers() {
        // https://…/azure-ad-nginx-pomerium: allowed_users: [user1@azuread.domain]
        Policy policy = Policies.compile(users("user1@azuread.domain"), null);

        Decision user1 = policy.evaluate(as(new Identity("2f6c1a0e-oid", "user1@azuread.domain", null, null)).build());
        assertThat(user1.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(user1.explanation())
                .isEqualTo("allowed: routes[0].allowed_users[0] matched (email is user1@azuread.domain)");
        Decision user2 = policy.evaluate(as(new Identity("7b9e-oid", "user2@azuread.domain", null, null)).build());
        assertThat(user2.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(user2.explanation()).isEqualTo("denied: no allow rule matched; routes[0] requires one of ("
                + "user is user1@azuread.domain, your user id is 7b9e-oid; "
                + "email is user1@azuread.domain, you are user2@azuread.domain)");
        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
    }

    @Test
    void allowedDomainsGroupsAndClaims() {
        LegacyRules legacy = new LegacyRules(false, false, false, List.of(), List.of("example.com"),
                List.of("admins"), Map.of("department", List.of("eng", "ops")));
        Policy policy = Policies.compile(legacy, null);

        assertThat(policy.evaluate(as("a@example.com").build()).reasons()).containsExactly("domain-ok");
        assertThat(policy.evaluate(as(new Identity("u", "a@other.example", List.of("admins"), null)).build()).reasons())
                .containsExactly("groups-ok");
        assertThat(policy.evaluate(as(new Identity("u", "a@other.example", null, Map.of("department", "ops")))
                .build()).reasons()).containsExactly("claim-ok");
        assertThat(policy.evaluate(as("a@other.example").build()).allowed()).isFalse();
        assertThat(policy.evaluate(as(new Identity("u", "a@x.example", null, Map.of("department", "ops"))).build())
                .explanation()).isEqualTo("allowed: routes[0].allowed_idp_claims.department[1] matched"
                        + " (claim/department has ops)");
    }

    @Test
    void corsPreflightLetsPreflightRequestsThroughUnauthenticated() {
        LegacyRules legacy = new LegacyRules(false, false, true, List.of("alice@example.com"), null, null, null);
        Policy policy = Policies.compile(legacy, null);

        assertThat(policy.evaluate(anonymous().corsPreflight().build()).reasons()).containsExactly("cors-request");
        assertThat(policy.evaluate(anonymous().corsPreflight().build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
    }

    @Test
    void legacyOptionsAndPolicyRulesJoin() {
        String rules = "{allow: {or: [{groups: {has: admins}}]}, deny: {or: [{http_method: DELETE}]}}";
        Policy policy = Policies.compile(users("alice@example.com"), rules);

        assertThat(policy.evaluate(as("alice@example.com").build()).allowed()).isTrue();
        assertThat(policy.evaluate(as(new Identity("u", "root@example.com", List.of("admins"), null)).build())
                .allowed()).isTrue();
        assertThat(policy.evaluate(as("alice@example.com").method("DELETE").build()).outcome())
                .isEqualTo(Outcome.FORBIDDEN);
        assertThat(policy.evaluate(as("carol@example.com").build()).allowed()).isFalse();
        assertThat(policy.describe()).isEqualTo("""
                allow if any of [user is alice@example.com, email is alice@example.com]
                allow if groups has admins
                deny if http_method is DELETE""");
    }

    @Test
    void conflictingShortcutsAreErrorsAsInPomeriumsValidate() {
        LegacyRules publicAndUsers = new LegacyRules(true, true, false, List.of("a@example.com"), List.of("example.com"),
                List.of("g"), Map.of("k", List.of("v")));

        assertThat(Policies.problems(publicAndUsers, Flow.parse("{allow: {or: [{accept: true}]}}"))).containsExactly(
                "routes[0]: allow_public_unauthenticated_access cannot be combined with allow_any_authenticated_user,"
                        + " allowed_users, allowed_domains (a public route lets everyone in; remove one or the other)",
                "routes[0]: allow_any_authenticated_user cannot be combined with allowed_users, allowed_domains"
                        + " (any signed-in user may pass; remove one or the other)");
    }

    @Test
    void publicAccessWithGroupsClaimsOrAPolicyLoadsAndLetsEveryoneIn() {
        LegacyRules publicWithLists = new LegacyRules(true, false, false, null, null, List.of("admins"),
                Map.of("department", List.of("it")));

        Policy policy = Policies.compile(publicWithLists, "{allow: {or: [{email: alice@example.com}]}}");

        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.evaluate(anonymous().build()).reasons()).containsExactly("accept");
        assertThat(policy.evaluate(as("bob@example.com").build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(Policies.compile(publicWithLists, "[]").evaluate(anonymous().build()).allowed()).isTrue();
    }

    @Test
    void publicExceptThisDenyStillDenies() {
        // Pomerium: accept makes the allow side hold; deny rules are evaluated as on any route
        Policy policy = Policies.compile(new LegacyRules(true, false, false, null, null, null, null),
                "{deny: {or: [{http_path: {starts_with: /admin}}, {source_ip: 203.0.113.0/24}]}}");

        assertThat(policy.evaluate(anonymous().path("/blog").build()).outcome()).isEqualTo(Outcome.ALLOW);
        Decision admin = policy.evaluate(anonymous().path("/admin/users").build());
        assertThat(admin.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(admin.reasons()).containsExactly("http-path-ok");
        assertThat(policy.evaluate(as("alice@example.com").from("203.0.113.7").build()).outcome())
                .isEqualTo(Outcome.FORBIDDEN);
        assertThat(policy.isPublic()).isFalse();
    }

    @Test
    void publicExceptAPersonAsksStrangersToSignInAsPomeriumDoes() {
        // the deny criterion is about the person, so its reasons carry user-unauthenticated: Pomerium's
        // handleResult sends the anonymous visitor to sign in before deciding
        Policy policy = Policies.compile(new LegacyRules(true, false, false, null, null, null, null),
                "{deny: {or: [{email: mallory@example.com}]}}");

        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(policy.evaluate(as("alice@example.com").build()).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.evaluate(as("mallory@example.com").build()).outcome()).isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void subPoliciesAddTheirListsToTheAllowRule() {
        LegacyRules legacy = new LegacyRules(false, false, false, List.of("alice@example.com"), null, null, null,
                List.of(new LegacyRules.SubPolicy(List.of("bob@example.com"), List.of("partner.example"), null, null),
                        new LegacyRules.SubPolicy(null, null, List.of("ops"), Map.of("department", List.of("it")))));

        Policy policy = Policies.compile(legacy, null);

        assertThat(policy.evaluate(as("alice@example.com").build()).allowed()).isTrue();
        assertThat(policy.evaluate(as("bob@example.com").build()).allowed()).isTrue();
        assertThat(policy.evaluate(as("carol@partner.example").build()).allowed()).isTrue();
        assertThat(policy.evaluate(as(new Identity("dave", "dave@example.com", List.of("ops"), Map.of())).build())
                .allowed()).isTrue();
        assertThat(policy.evaluate(as(new Identity("erin", "erin@example.com", List.of(),
                Map.of("department", "it"))).build()).allowed()).isTrue();
        assertThat(policy.evaluate(as("mallory@example.com").build()).outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(policy.evaluate(as("carol@partner.example").build()).explanation())
                .contains("routes[0].sub_policies[0].allowed_domains[0]");
    }

    @Test
    void subPoliciesDoNotConflictWithPublicAccessAsInPomerium() {
        LegacyRules legacy = new LegacyRules(true, false, false, null, null, null, null,
                List.of(new LegacyRules.SubPolicy(List.of("bob@example.com"), null, null, null)));

        assertThat(Policies.compile(legacy, null).evaluate(anonymous().build()).allowed()).isTrue();
    }

    @Test
    void anyAuthenticatedUserWithGroupsIsAllowedAsInPomerium() {
        LegacyRules legacy = new LegacyRules(false, true, false, null, null, List.of("admins"), null);

        assertThat(Policies.compile(legacy, null).evaluate(as("a@example.com").build()).allowed()).isTrue();
    }

    @Test
    void publicAccessWithCorsPreflightIsFine() {
        LegacyRules legacy = new LegacyRules(true, false, true, null, null, null, null);

        assertThat(Policies.compile(legacy, null).evaluate(anonymous().build()).allowed()).isTrue();
        assertThat(Policies.compile(legacy, null).isPublic()).isFalse();
    }

    @Test
    void noneIsEmpty() {
        assertThat(LegacyRules.none().isEmpty()).isTrue();
        assertThat(users("a").isEmpty()).isFalse();
        assertThat(new LegacyRules(false, false, false, null, null, null, null,
                List.of(new LegacyRules.SubPolicy(List.of("a"), null, null, null))).isEmpty()).isFalse();
    }
}
