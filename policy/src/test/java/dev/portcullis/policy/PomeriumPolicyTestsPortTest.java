package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pomerium's own policy tests, ported: each case is one of Pomerium's (named by its Go test, from
 * pkg/policy/criteria/*_test.go and authorize/evaluator/policy_evaluator_test.go), with its policy (written here
 * in flow style), its input (sessions and users become an {@link Identity}), and the allow and deny results
 * Pomerium's Rego answers. Pomerium's answer to the request follows from those results by its
 * authorize/check_response.go {@code handleResult}, and Portcullis must give the same answer for the same
 * reasons.
 *
 * <p>Left out: impersonation and directory records (Portcullis has no databroker; what they test is that the
 * right email is found, which the remaining cases cover), the Rego text of the matcher tests (ported below as
 * evaluations instead), device, record, MCP and SSH criteria (refused by Portcullis). The deliberate
 * differences are in {@link #deliberateDifferences()}, each with its reason.
 */
class PomeriumPolicyTestsPortTest {

    private static final String TEST = "test@example.com";

    /** One Rego result, {@code [value, reasons]}. */
    private record Result(boolean value, List<String> reasons) {
        static Result of(boolean value, String... reasons) {
            return new Result(value, List.of(reasons));
        }
    }

    /** A ported case: the policy, the request, and what Pomerium's Rego answered. */
    private record Case(String policy, LegacyRules legacy, Requests request, Result allow, Result deny) {
    }

    private static Arguments pomerium(String test, String policy, Requests request, Result allow, Result deny) {
        return Arguments.of(Named.of(test, new Case(policy, LegacyRules.none(), request, allow, deny)));
    }

    private static Arguments pomerium(String test, String policy, Requests request, Result allow) {
        return pomerium(test, policy, request, allow, Result.of(false));
    }

    private static Requests as(String userId, String email, Map<String, Object> claims) {
        return Requests.as(new Identity(userId, email, List.of(), claims));
    }

    private static Requests from(String ip) {
        return anonymous().from(ip);
    }

    static Stream<Arguments> criteria() {
        String email = "{allow: {and: [{email: {is: test@example.com}}]}}";
        String domain = "{allow: {and: [{domain: {is: example.com}}]}}";
        String user = "{allow: {and: [{user: {is: USER_ID}}]}}";
        String claim = "{allow: {and: [{claim/family_name: Smith}]}}";
        String claimHas = "{allow: {and: [{claim/family_name: {has: Smith}}]}}";
        Map<String, Object> smith = Map.of("family_name", List.of("Smith"));
        return Stream.of(
                pomerium("TestAccept", "{allow: {and: [{accept: 1}]}}", anonymous(), Result.of(true, "accept")),
                pomerium("TestReject", "{allow: {and: [{reject: 1}]}}", anonymous(), Result.of(false, "reject")),
                pomerium("TestAuthenticatedUser/no session", "{allow: {and: [{authenticated_user: 1}]}}", anonymous(),
                        Result.of(false, "user-unauthenticated")),
                pomerium("TestAuthenticatedUser/by domain", "{allow: {and: [{authenticated_user: 1}]}}",
                        as("USER_ID", null, Map.of()), Result.of(true, "user-ok")),
                pomerium("TestClaim/no session", claim, anonymous(), Result.of(false, "user-unauthenticated")),
                pomerium("TestClaim/no claim", claim, as("USER_ID", null, Map.of()),
                        Result.of(false, "claim-unauthorized")),
                pomerium("TestClaim/by session claim", claim, as("USER_ID", TEST, smith), Result.of(true, "claim-ok")),
                pomerium("TestClaim/by session claim via has", claimHas, as("USER_ID", TEST, smith),
                        Result.of(true, "claim-ok")),
                pomerium("TestClaim/no claim via has", claimHas, as("USER_ID", TEST, Map.of()),
                        Result.of(false, "claim-unauthorized")),
                pomerium("TestClaim/by user claim", claim, as("USER_ID", TEST, smith), Result.of(true, "claim-ok")),
                pomerium("TestClaim/special keys", "{allow: {and: [{claim/example.com/key: value}]}}",
                        as("USER_ID", TEST, Map.of("example.com/key", List.of("value"))), Result.of(true, "claim-ok")),
                pomerium("TestCORSPreflight/true", "{allow: {and: [{cors_preflight: 1}]}}",
                        anonymous().corsPreflight(), Result.of(true, "cors-request")),
                pomerium("TestCORSPreflight/false", "{allow: {and: [{cors_preflight: 1}]}}",
                        anonymous().method("OPTIONS"), Result.of(false, "non-cors-request")),
                pomerium("TestDomains/no session", domain, anonymous(), Result.of(false, "user-unauthenticated")),
                pomerium("TestDomains/by domain", domain, as("USER_ID", TEST, Map.of()), Result.of(true, "domain-ok")),
                pomerium("TestDomains/by directory user", domain, as("USER_ID", "user@example.com", Map.of()),
                        Result.of(true, "domain-ok")),
                pomerium("TestEmails/no session", email, anonymous(), Result.of(false, "user-unauthenticated")),
                pomerium("TestEmails/by email", email, as("USER_ID", TEST, Map.of()), Result.of(true, "email-ok")),
                pomerium("TestHTTPMethod/ok", "{allow: {and: [{http_method: {is: GET}}]}}", anonymous(),
                        Result.of(true, "http-method-ok")),
                pomerium("TestHTTPMethod/unauthorized", "{allow: {and: [{http_method: {is: GET}}]}}",
                        anonymous().method("POST"), Result.of(false, "http-method-unauthorized")),
                pomerium("TestHTTPPath/ok", "{allow: {and: [{http_path: {is: /test}}]}}", anonymous().path("/test"),
                        Result.of(true, "http-path-ok")),
                pomerium("TestHTTPPath/unauthorized", "{allow: {and: [{http_path: {is: /test}}]}}",
                        anonymous().path("/not-test"), Result.of(false, "http-path-unauthorized")),
                pomerium("TestUser/no session", user, anonymous(), Result.of(false, "user-unauthenticated")),
                pomerium("TestUser/by user id", user, as("USER_ID", null, Map.of()), Result.of(true, "user-ok")));
    }

    static Stream<Arguments> sourceIp() {
        String one = "{allow: {and: [{source_ip: \"1.2.3.4\"}]}}";
        String range = "{allow: {and: [{source_ip: \"192.168.1.1/24\"}]}}";
        String six = "{allow: {and: [{source_ip: \"2001:db8::1\"}]}}";
        String sixRange = "{allow: {and: [{source_ip: \"2001:db8::/32\"}]}}";
        String list = "{allow: {and: [{source_ip: [\"10.0.0.1\", \"10.0.0.2\", \"10.0.0.3\"]}]}}";
        Result ok = Result.of(true, "source-ip-ok");
        Result no = Result.of(false, "source-ip-unauthorized");
        return Stream.of(
                pomerium("TestSourceIPs/single IPv4 match", one, from("1.2.3.4"), ok),
                pomerium("TestSourceIPs/single IPv4 no match", one, from("1.2.3.5"), no),
                pomerium("TestSourceIPs/IPv4 range match", range, from("192.168.1.200"), ok),
                pomerium("TestSourceIPs/IPv4 range no match", range, from("192.168.2.1"), no),
                pomerium("TestSourceIPs/single IPv6 match", six, from("2001:db8::1"), ok),
                pomerium("TestSourceIPs/single IPv6 no match", six, from("2001:db8::2"), no),
                pomerium("TestSourceIPs/IPv6 range match", sixRange, from("2001:db8:1:2:3:4:5:6"), ok),
                pomerium("TestSourceIPs/IPv6 range no match", sixRange, from("2001:ffff:1:2:3:4:5:6"), no),
                pomerium("TestSourceIPs/list of IPs match", list, from("10.0.0.2"), ok),
                pomerium("TestSourceIPs/list of IPs no match", list, from("10.0.0.4"), no),
                pomerium("TestSourceIPs/IPv4-mapped IPv6 range", "{allow: {and: [{source_ip: \"::ffff:10.0.0.0/104\"}]}}",
                        from("10.1.2.3"), ok),
                pomerium("TestSourceIPs/IPv4-mapped IPv6", "{allow: {and: [{source_ip: \"::ffff:1.2.3.4\"}]}}",
                        from("1.2.3.4"), ok));
    }

    static Stream<Arguments> clientCertificates() {
        String deny = "{deny: {or: [{invalid_client_certificate: true}]}}";
        ClientCertificate presented = new ClientCertificate("ab".repeat(32), "", null, null, null);
        return Stream.of(
                pomerium("TestInvalidClientCertificate/not presented", deny, anonymous().invalidCertificate(),
                        Result.of(false), Result.of(true, "client-certificate-required")),
                pomerium("TestInvalidClientCertificate/invalid", deny,
                        anonymous().certificate(presented).invalidCertificate(), Result.of(false),
                        Result.of(true, "invalid-client-certificate")),
                pomerium("TestInvalidClientCertificate/valid", deny, anonymous().certificate(presented),
                        Result.of(false), Result.of(false, "valid-client-certificate")));
    }

    /**
     * Pomerium's string and string-list matcher tests check the Rego they generate
     * ({@code contains(example, "test")}); here each is evaluated once where that Rego holds and once where it
     * does not.
     */
    static Stream<Arguments> matchers() {
        Result userOk = Result.of(true, "user-ok");
        Result userNo = Result.of(false, "user-unauthorized");
        Result groupsOk = Result.of(true, "groups-ok");
        Result groupsNo = Result.of(false, "groups-unauthorized");
        return Stream.of(
                pomerium("TestStringMatcher/contains (holds)", "{allow: {or: [{user: {contains: test}}]}}",
                        id("a-test-b"), userOk),
                pomerium("TestStringMatcher/contains (fails)", "{allow: {or: [{user: {contains: test}}]}}",
                        id("a-tes-t"), userNo),
                pomerium("TestStringMatcher/ends_with (holds)", "{allow: {or: [{user: {ends_with: test}}]}}",
                        id("mytest"), userOk),
                pomerium("TestStringMatcher/ends_with (fails)", "{allow: {or: [{user: {ends_with: test}}]}}",
                        id("testy"), userNo),
                pomerium("TestStringMatcher/is (holds)", "{allow: {or: [{user: {is: test}}]}}", id("test"), userOk),
                pomerium("TestStringMatcher/is (fails)", "{allow: {or: [{user: {is: test}}]}}", id("Test"), userNo),
                pomerium("TestStringMatcher/not (holds)", "{allow: {or: [{user: {not: test}}]}}", id("other"), userOk),
                pomerium("TestStringMatcher/not (fails)", "{allow: {or: [{user: {not: test}}]}}", id("test"), userNo),
                pomerium("TestStringMatcher/starts_with (holds)", "{allow: {or: [{user: {starts_with: test}}]}}",
                        id("tester"), userOk),
                pomerium("TestStringMatcher/starts_with (fails)", "{allow: {or: [{user: {starts_with: test}}]}}",
                        id("atest"), userNo),
                pomerium("TestStringMatcher/string (holds)", "{allow: {or: [{user: test}]}}", id("test"), userOk),
                pomerium("TestStringMatcher/string (fails)", "{allow: {or: [{user: test}]}}", id("tes"), userNo),
                pomerium("TestStringMatcher/null", "{allow: {or: [{user: null}]}}", id("null"), userNo),
                pomerium("TestStringMatcher/in (holds)", "{allow: {or: [{user: {in: [value1, value2, value3]}}]}}",
                        id("value2"), userOk),
                pomerium("TestStringMatcher/in (fails)", "{allow: {or: [{user: {in: [value1, value2, value3]}}]}}",
                        id("value4"), userNo),
                pomerium("TestStringMatcher/not_in (holds)",
                        "{allow: {or: [{user: {not_in: [value1, value2, value3]}}]}}", id("value4"), userOk),
                pomerium("TestStringMatcher/not_in (fails)",
                        "{allow: {or: [{user: {not_in: [value1, value2, value3]}}]}}", id("value1"), userNo),
                pomerium("TestStringListMatcher/has (holds)", "{allow: {or: [{groups: {has: test}}]}}",
                        groups("a", "test"), groupsOk),
                pomerium("TestStringListMatcher/has (fails)", "{allow: {or: [{groups: {has: test}}]}}",
                        groups("a", "b"), groupsNo),
                pomerium("TestStringListMatcher/is (holds)", "{allow: {or: [{groups: {is: test}}]}}",
                        groups("test"), groupsOk),
                pomerium("TestStringListMatcher/is (fails: two elements)", "{allow: {or: [{groups: {is: test}}]}}",
                        groups("test", "b"), groupsNo),
                pomerium("TestStringListMatcher/exclude (holds)", "{allow: {or: [{groups: {exclude: test}}]}}",
                        groups("a"), groupsOk),
                pomerium("TestStringListMatcher/exclude (fails)", "{allow: {or: [{groups: {exclude: test}}]}}",
                        groups("a", "test"), groupsNo),
                pomerium("TestStringListMatcher/string (holds)", "{allow: {or: [{groups: test}]}}", groups("test"),
                        groupsOk),
                pomerium("TestStringListMatcher/null", "{allow: {or: [{groups: null}]}}", groups("null"), groupsNo));
    }

    static Stream<Arguments> legacyOptions() {
        LegacyRules u1 = new LegacyRules(false, false, false, List.of("u1@example.com"), null, null, null);
        return Stream.of(
                Arguments.of(Named.of("TestPolicyEvaluator/allowed", new Case(null, u1,
                        as("u1", "u1@example.com", Map.of()), Result.of(true, "email-ok"), Result.of(false)))),
                Arguments.of(Named.of("TestPolicyEvaluator/forbidden", new Case(null, u1,
                        as("u2", "u2@example.com", Map.of()),
                        Result.of(false, "email-unauthorized", "user-unauthorized"), Result.of(false)))));
    }

    /**
     * The operators, with the results Pomerium's pkg/policy/rules/rules.go gives: {@code merge_with_and} holds
     * with the union of all reasons or fails with those of the failing criteria, {@code merge_with_or} holds
     * with those of the holding criteria or fails with all, {@code not} and {@code nor} invert each criterion
     * (keeping its reasons) and merge with and / or.
     */
    static Stream<Arguments> operators() {
        String andRule = "{allow: {and: [{email: test@example.com}, {http_method: GET}]}}";
        String norRule = "{allow: {nor: [{http_method: GET}, {http_path: /admin}]}}";
        return Stream.of(
                pomerium("rules.go merge_with_and/all hold", andRule, as("u", TEST, Map.of()),
                        Result.of(true, "email-ok", "http-method-ok")),
                pomerium("rules.go merge_with_and/one fails", andRule, as("u", TEST, Map.of()).method("POST"),
                        Result.of(false, "http-method-unauthorized")),
                pomerium("rules.go merge_with_or/none holds",
                        "{allow: {or: [{email: test@example.com}, {http_method: GET}]}}",
                        as("u", "bob@example.com", Map.of()).method("POST"),
                        Result.of(false, "email-unauthorized", "http-method-unauthorized")),
                pomerium("rules.go not/inverts", "{allow: {not: [{email: test@example.com}]}}",
                        as("u", "bob@example.com", Map.of()), Result.of(true, "email-unauthorized")),
                pomerium("rules.go not/anonymous", "{allow: {not: [{email: bob@example.com}]}}", anonymous(),
                        Result.of(true, "user-unauthenticated")),
                pomerium("rules.go nor/one fails", norRule, anonymous().path("/x"),
                        Result.of(true, "http-path-unauthorized")),
                pomerium("rules.go nor/both hold", norRule, anonymous().path("/admin"),
                        Result.of(false, "http-method-ok", "http-path-ok")),
                pomerium("generator.go deny/wins", "{allow: {or: [{accept: 1}]}, deny: {or: [{http_path: /admin}]}}",
                        anonymous().path("/admin"), Result.of(true, "accept"), Result.of(true, "http-path-ok")),
                pomerium("generator.go deny/does not hold",
                        "{allow: {or: [{accept: 1}]}, deny: {or: [{http_path: /admin}]}}", anonymous().path("/blog"),
                        Result.of(true, "accept"), Result.of(false, "http-path-unauthorized")));
    }

    private static Requests id(String userId) {
        return as(userId, null, Map.of());
    }

    private static Requests groups(String... groups) {
        return Requests.as(new Identity("USER_ID", TEST, List.of(groups), Map.of()));
    }

    /** What Pomerium answers, from its Rego results (authorize/check_response.go {@code handleResult}). */
    private static Answer pomeriumAnswer(Result allow, Result deny) {
        Set<String> certificate = Set.of("client-certificate-required", "invalid-client-certificate");
        if (deny.reasons().stream().anyMatch(certificate::contains)) {
            return new Answer(Outcome.CLIENT_CERTIFICATE_REQUIRED, Set.copyOf(deny.reasons()));
        }
        if (allow.reasons().contains("user-unauthenticated") || deny.reasons().contains("user-unauthenticated")) {
            Set<String> all = new LinkedHashSet<>(allow.reasons());
            all.addAll(deny.reasons());
            return new Answer(Outcome.SIGN_IN, all);
        }
        if (deny.value()) {
            return new Answer(Outcome.FORBIDDEN, Set.copyOf(deny.reasons()));
        }
        if (allow.value()) {
            return new Answer(Outcome.ALLOW, Set.copyOf(allow.reasons()));
        }
        Outcome denied = allow.reasons().stream().anyMatch(certificate::contains)
                ? Outcome.CLIENT_CERTIFICATE_REQUIRED : Outcome.FORBIDDEN;
        return new Answer(denied, Set.copyOf(allow.reasons()));
    }

    private record Answer(Outcome outcome, Set<String> reasons) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"criteria", "sourceIp", "clientCertificates", "matchers", "legacyOptions", "operators"})
    void answersAsPomerium(Case c) {
        Policy policy = Policies.compile(c.legacy(), c.policy());

        Decision decision = policy.evaluate(c.request().build());

        Answer expected = pomeriumAnswer(c.allow(), c.deny());
        assertThat(decision.outcome()).isEqualTo(expected.outcome());
        assertThat(Set.copyOf(decision.reasons())).isEqualTo(expected.reasons());
    }

    /**
     * Where Portcullis answers otherwise on purpose; each row says Pomerium's answer, ours, and why
     * (docs/policy.md, "Where Portcullis differs from Pomerium").
     */
    static Stream<Arguments> deliberateDifferences() {
        return Stream.of(
                // TestStringMatcher/boolean and /number: Pomerium's Rego compares with the JSON value
                // (example == 1234), which no string equals, so user: 1234 never matches; Portcullis compares
                // the text, as YAML readers expect user ids and claim values written unquoted to match.
                difference("TestStringMatcher/number", "{allow: {or: [{user: 1234}]}}", id("1234"),
                        Outcome.FORBIDDEN, Outcome.ALLOW),
                difference("TestStringMatcher/boolean", "{allow: {or: [{user: true}]}}", id("true"),
                        Outcome.FORBIDDEN, Outcome.ALLOW),
                difference("TestStringListMatcher/number", "{allow: {or: [{groups: 1234}]}}", groups("1234"),
                        Outcome.FORBIDDEN, Outcome.ALLOW),
                // TestGroups: Pomerium's open-source core reads groups only from directory sync records, which it
                // does not have, so groups never match there; Portcullis reads the identity provider's groups claim.
                difference("TestGroups/by groups claim", "{allow: {or: [{groups: {has: admins}}]}}", groups("admins"),
                        Outcome.FORBIDDEN, Outcome.ALLOW));
    }

    private static Arguments difference(String test, String policy, Requests request, Outcome pomerium,
            Outcome portcullis) {
        return Arguments.of(test, policy, request, pomerium, portcullis);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deliberateDifferences")
    void differsOnPurpose(String test, String policy, Requests request, Outcome pomerium, Outcome portcullis) {
        assertThat(portcullis).isNotEqualTo(pomerium);
        assertThat(Policies.compile(policy).evaluate(request.build()).outcome()).isEqualTo(portcullis);
    }
}
