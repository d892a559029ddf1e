package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every criterion and matcher, one request that passes and one that does not, with Pomerium's reason words. */
class CriteriaTest {

    private static final Identity ALICE = new Identity("u-alice", "alice@example.com",
            List.of("admins", "staff"), Map.of("department", "eng", "email_verified", true, "level", 3));

    static Stream<Arguments> criteria() {
        return Stream.of(
                // criterion, request, allowed, reasons
                arguments("{accept: true}", anonymous(), true, "accept"),
                arguments("{accept: }", anonymous(), true, "accept"),
                arguments("{reject: true}", as("alice@example.com"), false, "reject"),
                arguments("{authenticated_user: true}", as("alice@example.com"), true, "user-ok"),
                arguments("{user: u-alice}", as(ALICE), true, "user-ok"),
                arguments("{user: {is: u-alice}}", as(ALICE), true, "user-ok"),
                arguments("{user: {is: alice@example.com}}", as(ALICE), false, "user-unauthorized"),
                arguments("{users: u-alice}", as(ALICE), true, "user-ok"),
                arguments("{email: {is: alice@example.com}}", as("alice@example.com"), true, "email-ok"),
                arguments("{email: alice@example.com}", as("alice@example.com"), true, "email-ok"),
                arguments("{emails: alice@example.com}", as("alice@example.com"), true, "email-ok"),
                arguments("{email: {is: Alice@example.com}}", as("alice@example.com"), false, "email-unauthorized"),
                arguments("{email: {is: alice@example.com}}", as("bob@example.com"), false, "email-unauthorized"),
                arguments("{domain: {is: example.com}}", as("alice@example.com"), true, "domain-ok"),
                arguments("{domain: example.com}", as("alice@sub.example.com"), false, "domain-unauthorized"),
                arguments("{domain: {ends_with: example.com}}", as("alice@sub.example.com"), true, "domain-ok"),
                arguments("{domain: {is: example.com}}", as("alice@example.com.evil.org"), false, "domain-unauthorized"),
                arguments("{domains: example.com}", as("alice@example.com"), true, "domain-ok"),
                arguments("{groups: {has: admins}}", as(ALICE), true, "groups-ok"),
                arguments("{groups: admins}", as(ALICE), true, "groups-ok"),
                arguments("{groups: {has: Admins}}", as(ALICE), false, "groups-unauthorized"),
                arguments("{claim/department: eng}", as(ALICE), true, "claim-ok"),
                arguments("{claim/department: {has: ops}}", as(ALICE), false, "claim-unauthorized"),
                arguments("{claims/department: eng}", as(ALICE), true, "claim-ok"),
                arguments("{claim/email_verified: true}", as(ALICE), true, "claim-ok"),
                arguments("{claim/level: 3}", as(ALICE), true, "claim-ok"),
                arguments("{http_method: {is: GET}}", as(ALICE).method("GET"), true, "http-method-ok"),
                arguments("{http_method: GET}", as(ALICE).method("get"), false, "http-method-unauthorized"),
                arguments("{http_method: {in: [GET, HEAD]}}", anonymous().method("HEAD"), true, "http-method-ok"),
                arguments("{http_path: {starts_with: /admin}}", anonymous().path("/admin/users"), true, "http-path-ok"),
                arguments("{http_path: {starts_with: /admin}}", anonymous().path("/Admin"), false, "http-path-unauthorized"),
                arguments("{http_path: /}", anonymous().path("/"), true, "http-path-ok"),
                arguments("{cors_preflight: true}", anonymous().corsPreflight(), true, "cors-request"),
                arguments("{cors_preflight: true}", anonymous().method("OPTIONS"), false, "non-cors-request"),
                arguments("{source_ip: 192.0.2.0/24}", anonymous().from("192.0.2.10"), true, "source-ip-ok"),
                arguments("{source_ip: 192.0.2.0/24}", anonymous().from("198.51.100.1"), false, "source-ip-unauthorized"),
                arguments("{date: {after: 2024-01-01}}", anonymous(), true, "date-ok"),
                arguments("{date: {before: 2024-01-01}}", anonymous(), false, "date-unauthorized"),
                arguments("{day_of_week: wed}", anonymous(), true, "day-of-week-ok"),
                arguments("{day_of_week: mon-tue}", anonymous(), false, "day-of-week-unauthorized"),
                arguments("{time_of_day: {timezone: UTC, after: 9:00, before: 17:00}}", anonymous(), true, "time-of-day-ok"),
                arguments("{time_of_day: {timezone: UTC, after: 13:00}}", anonymous(), false, "time-of-day-unauthorized"),
                arguments("{invalid_client_certificate: true}", anonymous(), false, "valid-client-certificate"));
    }

    @ParameterizedTest(name = "{0} for {1}: {2} ({3})")
    @MethodSource("criteria")
    void criterion(String criterion, Requests request, boolean allowed, String reason) {
        Decision decision = Policies.decide("{allow: {and: [" + criterion + "]}}", request);

        assertThat(decision.allowed()).isEqualTo(allowed);
        assertThat(decision.reasons()).containsExactly(reason);
    }

    static Stream<Arguments> stringMatchers() {
        return Stream.of(
                arguments("{is: alice@example.com}", "alice@example.com", true),
                arguments("{is: alice@example.com}", "alice@example.co", false),
                arguments("{is: alice@example.com}", "alice@example.comm", false),
                arguments("{not: bob@example.com}", "alice@example.com", true),
                arguments("{not: alice@example.com}", "alice@example.com", false),
                arguments("{contains: ice@ex}", "alice@example.com", true),
                arguments("{contains: ICE}", "alice@example.com", false),
                arguments("{starts_with: alice@}", "alice@example.com", true),
                arguments("{starts_with: bob@}", "alice@example.com", false),
                arguments("{ends_with: \"@example.com\"}", "alice@example.com", true),
                arguments("{ends_with: \"@example.org\"}", "alice@example.com", false),
                arguments("{in: [bob@example.com, alice@example.com]}", "alice@example.com", true),
                arguments("{in: [bob@example.com]}", "alice@example.com", false),
                arguments("{in: []}", "alice@example.com", false),
                arguments("{not_in: [bob@example.com]}", "alice@example.com", true),
                arguments("{not_in: [alice@example.com]}", "alice@example.com", false),
                // several matchers in one object are AND-ed
                arguments("{starts_with: alice, ends_with: .com}", "alice@example.com", true),
                arguments("{starts_with: alice, ends_with: .org}", "alice@example.com", false),
                arguments("{contains: \"@\", not: alice@example.com}", "alice@example.com", false));
    }

    @ParameterizedTest(name = "email {0} for {1}: {2}")
    @MethodSource("stringMatchers")
    void stringMatcher(String matcher, String email, boolean allowed) {
        assertThat(Policies.allows("{allow: {or: [{email: " + matcher + "}]}}", as(email))).isEqualTo(allowed);
    }

    static Stream<Arguments> domainMatchers() {
        return Stream.of(
                arguments("{is: example.com}", "a@example.com", true),
                arguments("{is: example.com}", "a@xexample.com", false),
                arguments("{not: example.com}", "a@example.org", true),
                arguments("{contains: ample}", "a@example.com", true),
                arguments("{contains: a@}", "a@example.com", false),
                arguments("{starts_with: exa}", "a@example.com", true),
                arguments("{starts_with: a@}", "a@example.com", false),
                arguments("{ends_with: .com}", "a@example.com", true),
                arguments("{ends_with: a@example.com}", "a@example.com", false),
                arguments("{in: [example.org, example.com]}", "a@example.com", true),
                arguments("{not_in: [example.com]}", "a@example.com", false),
                arguments("{is: b.example}", "\"a@b\"@b.example", true));
    }

    @ParameterizedTest(name = "domain {0} for {1}: {2}")
    @MethodSource("domainMatchers")
    void domainMatcher(String matcher, String email, boolean allowed) {
        Identity identity = new Identity("u1", email, List.of(), Map.of());
        assertThat(Policies.allows("{allow: {or: [{domain: " + matcher + "}]}}", as(identity))).isEqualTo(allowed);
    }

    static Stream<Arguments> listMatchers() {
        return Stream.of(
                arguments("{has: admins}", List.of("staff", "admins"), true),
                arguments("{has: admins}", List.of(), false),
                arguments("{is: admins}", List.of("admins"), true),
                arguments("{is: admins}", List.of("admins", "staff"), false),
                arguments("{is: admins}", List.of("staff"), false),
                arguments("{exclude: guests}", List.of("staff"), true),
                arguments("{exclude: guests}", List.of(), true),
                arguments("{exclude: guests}", List.of("staff", "guests"), false),
                arguments("{has: staff, exclude: guests}", List.of("staff"), true),
                arguments("{has: staff, exclude: guests}", List.of("staff", "guests"), false));
    }

    @ParameterizedTest(name = "groups {0} for {1}: {2}")
    @MethodSource("listMatchers")
    void groupsMatcher(String matcher, List<String> groups, boolean allowed) {
        Identity identity = new Identity("u1", "a@example.com", groups, Map.of());
        assertThat(Policies.allows("{allow: {or: [{groups: " + matcher + "}]}}", as(identity))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "claim/roles {0} for {1}: {2}")
    @MethodSource("listMatchers")
    void claimMatcher(String matcher, List<String> roles, boolean allowed) {
        Identity identity = new Identity("u1", "a@example.com", List.of(), Map.of("roles", roles));
        assertThat(Policies.allows("{allow: {or: [{claim/roles: " + matcher + "}]}}", as(identity))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("criteria")
    void everyIdentityCriterionAsksAnAnonymousPersonToSignIn(String criterion, Requests ignored) {
        boolean aboutIdentity = Stream.of("authenticated_user", "user", "email", "domain", "groups", "claim")
                .anyMatch(name -> criterion.startsWith("{" + name));
        Decision decision = Policies.decide("{allow: {and: [" + criterion + "]}}", anonymous());

        if (aboutIdentity) {
            assertThat(decision.outcome()).isEqualTo(Outcome.SIGN_IN);
            assertThat(decision.reasons()).containsExactly("user-unauthenticated");
        } else {
            assertThat(decision.reasons()).doesNotContain("user-unauthenticated");
        }
    }
}
