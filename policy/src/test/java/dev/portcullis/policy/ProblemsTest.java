package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every mistake is reported with its full YAML path, in words a person can act on. */
class ProblemsTest {

    private static final String OR0 = "routes[0].policy.allow.or[0]";

    static Stream<Arguments> problems() {
        return Stream.of(
                // the shape of the document
                row("allow everyone",
                        "routes[0].policy: expected a rule ({allow: …, deny: …}) or a list of rules, found a string"),
                row("[allow]", "routes[0].policy[0]: expected a rule with allow and/or deny, found a string"),
                row("{alow: {or: [{accept: true}]}}",
                        "routes[0].policy: unknown action \"alow\" (did you mean \"allow\"?); expected allow or deny"),
                row("{allow: [{email: a@b.c}]}", "routes[0].policy.allow: expected operators (and, or, not, nor)"
                        + " each with a list of criteria, found a list (write e.g. allow: {or: [{email: {is: …}}]})"),
                row("{deny: {email: a@b.c}}", "routes[0].policy.deny: \"email\" is a criterion, not an operator;"
                        + " put it in a list under and, or, not or nor, e.g. or: [{email: …}]"),
                row("{allow: {andd: [{accept: true}]}}",
                        "routes[0].policy.allow: unknown operator \"andd\" (did you mean \"and\"?); expected and, or, not, nor"),
                row("{allow: {xor: [{accept: true}]}}",
                        "routes[0].policy.allow: unknown operator \"xor\" (did you mean \"or\"?); expected and, or, not, nor"),
                row("{allow: {or: {email: a@b.c}}}",
                        "routes[0].policy.allow.or: or needs a list of criteria, found a map (put a \"- \" before each criterion)"),
                row("{allow: {or: }}", "routes[0].policy.allow.or: or needs a list of criteria, found nothing"),
                row("{allow: {or: [{and: []}]}}", OR0 + ".and: and needs at least one criterion here"),
                row("{allow: {or: [email]}}", OR0 + ": expected a criterion such as {email: {is: …}}, found a string"),
                row("{allow: {or: [{email: a@b.c, groups: admins}]}}", OR0
                        + ": a criterion has exactly one key, found 2 (email, groups); write each criterion as its own list item"),
                row("{allow: {or: [{}]}}",
                        OR0 + ": a criterion has exactly one key, found 0; write each criterion as its own list item"),
                // criteria
                row("{allow: {or: [{emial: a@b.c}]}}", OR0 + ": unknown criterion \"emial\" (did you mean \"email\"?)"),
                row("{allow: {or: [{grups: admins}]}}", OR0 + ": unknown criterion \"grups\" (did you mean \"groups\"?)"),
                row("{allow: {or: [{Email: a@b.c}]}}", OR0 + ": unknown criterion \"Email\" (did you mean \"email\"?)"),
                row("{allow: {or: [{dayofweek: mon}]}}",
                        OR0 + ": unknown criterion \"dayofweek\" (did you mean \"day_of_week\"?)"),
                row("{allow: {or: [{weather: sunny}]}}", OR0 + ": unknown criterion \"weather\""),
                row("{allow: {or: [{pomerium_routes: true}]}}", OR0 + ": pomerium_routes is not supported:"
                        + " Pomerium withdrew this criterion for security reasons; the proxy answers its own /.pomerium/"
                        + " paths before any route policy, so remove it"),
                row("{allow: {or: [{device: {type: any}}]}}",
                        OR0 + ": device is not supported: Portcullis has no device identity (WebAuthn) enrolment"),
                row("{allow: {or: [{record: {type: x}}]}}",
                        OR0 + ": record is not supported: external data sources are a Pomerium Enterprise feature"),
                row("{allow: {or: [{claim: x}]}}",
                        OR0 + ": claim needs the claim's name after a slash, e.g. claim/family_name or claim/org/team"),
                row("{allow: {or: [{claim/: x}]}}",
                        OR0 + ": claim needs the claim's name after a slash, e.g. claim/family_name or claim/org/team"),
                row("{allow: {or: [{email/work: a@b.c}]}}",
                        OR0 + ": \"email/work\": email takes no sub-path (only claim/<name> does)"),
                row("{allow: {or: [{accept: false}]}}", OR0 + ".accept: accept: false would still match, because"
                        + " the value is ignored (as in Pomerium); remove the criterion instead"),
                row("{allow: {or: [{authenticated_user: false}]}}", OR0 + ".authenticated_user: authenticated_user:"
                        + " false would still match, because the value is ignored (as in Pomerium); remove the criterion instead"),
                // string matchers
                row("{allow: {or: [{email: [a@b.c, d@e.f]}]}}", OR0 + ".email: expected a string or a string"
                        + " matcher (is, not, contains, starts_with, ends_with, in, not_in), found a list; to accept any of"
                        + " several values write in: [a, b]"),
                row("{allow: {or: [{email: {}}]}}", OR0 + ".email: empty string matcher; expected one or more of"
                        + " is, not, contains, starts_with, ends_with, in, not_in"),
                row("{allow: {or: [{email: {iz: a@b.c}}]}}", OR0 + ".email: unknown string matcher \"iz\" (did you"
                        + " mean \"is\"?); expected one of is, not, contains, starts_with, ends_with, in, not_in"),
                row("{allow: {or: [{email: {endswith: .com}}]}}", OR0 + ".email: unknown string matcher"
                        + " \"endswith\" (did you mean \"ends_with\"?); expected one of is, not, contains, starts_with,"
                        + " ends_with, in, not_in"),
                row("{allow: {or: [{email: {in: a@b.c}}]}}", OR0 + ".email.in: in matcher requires a list of strings"),
                row("{allow: {or: [{email: {not_in: [{x: y}]}}]}}",
                        OR0 + ".email.not_in: not_in matcher requires a list of strings"),
                row("{allow: {or: [{email: {is: [a@b.c, d@e.f]}}]}}", OR0 + ".email.is: is matcher requires a"
                        + " string, found a list (use in: [a, b] for several values)"),
                row("{allow: {or: [{http_method: {not: [GET, HEAD]}}]}}", OR0 + ".http_method.not: not matcher"
                        + " requires a string, found a list (use not_in: [a, b] for several values)"),
                row("{allow: {or: [{http_path: {starts_with: {a: b}}}]}}",
                        OR0 + ".http_path.starts_with: starts_with matcher requires a string, found a map"),
                // list matchers
                row("{allow: {or: [{groups: [a, b]}]}}", OR0 + ".groups: expected a string or a list matcher"
                        + " (has, is, exclude), found a list; to accept any of several values, write one criterion per"
                        + " value under or"),
                row("{allow: {or: [{groups: {}}]}}",
                        OR0 + ".groups: empty list matcher; expected one or more of has, is, exclude"),
                row("{allow: {or: [{groups: {hs: admins}}]}}", OR0 + ".groups: unknown list matcher \"hs\""
                        + " (did you mean \"has\"?); expected one of has, is, exclude"),
                row("{allow: {or: [{claim/roles: {has: [a, b]}}]}}", OR0 + ".claim/roles.has: has matcher"
                        + " requires a string, found a list (write one criterion per value under or)"),
                // times
                row("{allow: {or: [{date: 2024-01-01}]}}", OR0
                        + ".date: expected a date matcher {after: …, before: …}, found a string"),
                row("{allow: {or: [{date: {afer: 2024-01-01}}]}}", OR0 + ".date: unknown key \"afer\" (did you"
                        + " mean \"after\"?); expected after, before"),
                row("{allow: {or: [{date: {}}]}}", OR0 + ".date: needs after, before, or both"),
                row("{allow: {or: [{date: {after: 2024-13-01}}]}}", OR0 + ".date.after: expected an ISO-8601 date"
                        + " or date-time such as 2024-05-01 or 2024-05-01T09:00:00Z, found \"2024-13-01\""),
                row("{allow: {or: [{date: {after: 2025-01-01, before: 2024-01-01}}]}}", OR0 + ".date: after"
                        + " (2025-01-01T00:00:00Z) must be earlier than before (2024-01-01T00:00:00Z)"),
                row("{allow: {or: [{day_of_week: [mon, tue]}]}}", OR0 + ".day_of_week: expected days as one string"
                        + " such as \"*\", \"mon,wed\" or \"tue-fri\", found a list"),
                row("{allow: {or: [{day_of_week: mnday}]}}", OR0 + ".day_of_week: unknown day \"mnday\" (did you"
                        + " mean \"monday\"?); expected * or days such as mon,wed or tue-fri (full or three-letter English"
                        + " names)"),
                row("{allow: {or: [{day_of_week: mon-tue-wed}]}}",
                        OR0 + ".day_of_week: \"mon-tue-wed\" is not a day or a range of days such as tue-fri"),
                row("{allow: {or: [{time_of_day: {after: 9:00}}]}}",
                        OR0 + ".time_of_day: timezone is required, e.g. timezone: Europe/Berlin"),
                row("{allow: {or: [{time_of_day: {timezone: Europe/Berln, after: 9:00}}]}}", OR0
                        + ".time_of_day.timezone: unknown time zone \"Europe/Berln\" (did you mean \"Europe/Berlin\"?);"
                        + " use a region name such as Europe/Berlin or America/New_York, or UTC"),
                row("{allow: {or: [{time_of_day: {timezone: UTC, after: 25:00}}]}}", OR0 + ".time_of_day.after:"
                        + " expected a time such as 15:04, 15:04:05 or 3:04 PM, found \"25:00\""),
                row("{allow: {or: [{time_of_day: {timezone: UTC, after: 13PM}}]}}", OR0 + ".time_of_day.after:"
                        + " expected a time such as 15:04, 15:04:05 or 3:04 PM, found \"13PM\""),
                row("{allow: {or: [{time_of_day: {timezone: UTC, before: 540}}]}}", OR0 + ".time_of_day.before:"
                        + " expected a time such as 15:04, 15:04:05 or 3:04 PM, found a number (YAML may read 9:00 as a"
                        + " number; quote it: \"9:00\")"),
                row("{allow: {or: [{time_of_day: {timezone: UTC, after: 9:00, before: 9AM}}]}}",
                        OR0 + ".time_of_day: after and before are both 09:00, which leaves no time of day"),
                row("{allow: {or: [{time_of_day: {timezone: UTC, after: 9:00, until: 10:00}}]}}", OR0
                        + ".time_of_day: unknown key \"until\"; expected timezone, after, before"),
                // connections
                row("{allow: {or: [{source_ip: 10.0.0.300}]}}", OR0 + ".source_ip: \"10.0.0.300\" is not an IP"
                        + " address or CIDR range (e.g. 192.168.1.0/24, 10.0.0.7 or 2001:db8::/32)"),
                row("{allow: {or: [{source_ip: [10.0.0.0/8, 10.0.0.0/33, nas.local]}]}}",
                        OR0 + ".source_ip[1]: \"10.0.0.0/33\" is not an IP address or CIDR range (e.g. 192.168.1.0/24,"
                                + " 10.0.0.7 or 2001:db8::/32)",
                        OR0 + ".source_ip[2]: \"nas.local\" is not an IP address or CIDR range (e.g. 192.168.1.0/24,"
                                + " 10.0.0.7 or 2001:db8::/32)"),
                row("{allow: {or: [{source_ip: []}]}}",
                        OR0 + ".source_ip: needs at least one IP address or CIDR range"),
                row("{allow: {or: [{client_certificate: abc}]}}", OR0 + ".client_certificate: expected a certificate"
                        + " matcher with one or more of fingerprint, spki_hash, san_email, san_dns, san_uri, found a string"),
                row("{allow: {or: [{client_certificate: {san_mail: a@b.c}}]}}", OR0 + ".client_certificate: unknown"
                        + " certificate matcher \"san_mail\" (did you mean \"san_email\"?); expected fingerprint, spki_hash,"
                        + " san_email, san_dns, san_uri"),
                row("{allow: {or: [{client_certificate: {fingerprint: abc}}]}}", OR0 + ".client_certificate.fingerprint:"
                        + " \"abc\" is not a SHA-256 fingerprint (64 hex digits, with or without colons)"),
                row("{allow: {or: [{client_certificate: {spki_hash: abc}}]}}", OR0 + ".client_certificate.spki_hash:"
                        + " \"abc\" is not a base64-encoded SHA-256 hash (44 characters)"),
                row("{allow: {or: [{client_certificate: {fingerprint: {a: b}}}]}}", OR0
                        + ".client_certificate.fingerprint: expected a string or a list of strings, found a map"),
                row("{allow: {or: [{client_certificate: {san_dns: {is: [a]}}}]}}", OR0
                        + ".client_certificate.san_dns.is: is matcher requires a string, found a list (use in: [a, b]"
                        + " for several values)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void problem(String policy, List<String> expected) {
        assertThat(Policies.problems(policy)).containsExactlyElementsOf(expected);
    }

    private static Arguments row(String policy, String... expected) {
        return arguments(policy, List.of(expected));
    }

    @Test
    void theIssuesExamples() {
        String policy = "[{allow: {or: [{email: {in: alice@example.com}}]}},"
                + " {allow: {or: [{email: a@b.c}, {groups: admins}, {emial: bob@example.com}]}}]";

        assertThat(Policies.problems(policy)).containsExactly(
                "routes[0].policy[0].allow.or[0].email.in: in matcher requires a list of strings",
                "routes[0].policy[1].allow.or[2]: unknown criterion \"emial\" (did you mean \"email\"?)");
    }

    @Test
    void everyProblemOfTheRouteIsReportedAtOnce() {
        String policy = "[{allow: {or: [{emial: a@b.c}, {groups: {hs: x}}]}, deny: {and: [{source_ip: bad}]}},"
                + " {allow: {nor: [{time_of_day: {after: 9:00}}]}}]";

        assertThat(Policies.problems(policy)).containsExactly(
                "routes[0].policy[0].allow.or[0]: unknown criterion \"emial\" (did you mean \"email\"?)",
                "routes[0].policy[0].allow.or[1].groups: unknown list matcher \"hs\" (did you mean \"has\"?);"
                        + " expected one of has, is, exclude",
                "routes[0].policy[0].deny.and[0].source_ip: \"bad\" is not an IP address or CIDR range"
                        + " (e.g. 192.168.1.0/24, 10.0.0.7 or 2001:db8::/32)",
                "routes[0].policy[1].allow.nor[0].time_of_day: timezone is required, e.g. timezone: Europe/Berlin");
    }

    @Test
    void theExceptionMessageListsTheProblemsOneALine() {
        PolicyException e = org.assertj.core.api.Assertions.catchThrowableOfType(PolicyException.class,
                () -> PolicyCompiler.compile("policy[2]", LegacyRules.none(), Flow.parse("{allow: {or: [{a: 1}, {b: 2}]}}")));

        assertThat(e.getMessage()).isEqualTo("""
                policy[2].policy.allow.or[0]: unknown criterion "a"
                policy[2].policy.allow.or[1]: unknown criterion "b\"""");
        assertThat(e.problems().get(0).path()).isEqualTo("policy[2].policy.allow.or[0]");
        assertThat(e.problems().get(0).message()).isEqualTo("unknown criterion \"a\"");
    }
}
