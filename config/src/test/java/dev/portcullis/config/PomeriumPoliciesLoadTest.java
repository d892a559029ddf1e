package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.route.Route;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Identity;
import dev.portcullis.policy.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route access that loads in Pomerium loads here, with Pomerium's meaning (issue 14, item 24). */
class PomeriumPoliciesLoadTest {

    @TempDir
    Path dir;

    private static AccessRequest request(Identity who, String path) {
        return new AccessRequest(Optional.ofNullable(who), "GET", path, "192.0.2.1", Instant.EPOCH, false,
                Optional.empty(), false);
    }

    private static Identity user(String email) {
        return new Identity(email, email, List.of(), Map.of());
    }

    private Route route(LoadedConfig loaded, int i) {
        return loaded.options().routes().get(i);
    }

    @Test
    void aBareCriterionLoadsMatchingNoOneWithAWarningNamingItsPath() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://app.example
                    to: http://app
                    policy:
                      - allow:
                          or:
                            - email:
                            - domain:
                                is: example.com
                """, env());

        assertThat(loaded.warnings()).contains("routes[0].policy[0].allow.or[0].email: has no value, so it matches"
                + " no one (as in Pomerium); give it one, e.g. email: {is: …}, or remove it");
        assertThat(route(loaded, 0).access().compiled().evaluate(request(user("alice@example.com"), "/")).allowed())
                .isTrue();
        assertThat(route(loaded, 0).access().compiled().evaluate(request(user("bob@other.example"), "/")).allowed())
                .isFalse();
    }

    @Test
    void anEmptyPolicyLoadsAndDenies() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://app.example
                    to: http://app
                    policy: {}
                """, env());

        assertThat(route(loaded, 0).access().compiled().evaluate(request(user("alice@example.com"), "/")).outcome())
                .isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void publicExceptThisDeny() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://blog.example
                    to: http://blog
                    allow_public_unauthenticated_access: true
                    allowed_groups: [editors]
                    allowed_idp_claims: {department: [it]}
                    policy:
                      deny:
                        or:
                          - http_path:
                              starts_with: /wp-admin
                """, env());

        var policy = route(loaded, 0).access().compiled();
        assertThat(policy.evaluate(request(null, "/2024/hello")).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(policy.evaluate(request(null, "/wp-admin/")).outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(policy.evaluate(request(user("alice@example.com"), "/wp-admin/")).outcome())
                .isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void publicWithUsersOrDomainsIsStillRefusedAsInPomerium() {
        assertThat(problems(dir, """
                routes:
                  - from: https://blog.example
                    to: http://blog
                    allow_public_unauthenticated_access: true
                    allowed_domains: [example.com]
                """, env())).containsExactly("routes[0]: allow_public_unauthenticated_access cannot be combined with"
                + " allowed_domains (a public route lets everyone in; remove one or the other)");
    }

    @Test
    void subPoliciesAddTheirListsToTheRoute() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://app.example
                    to: http://app
                    allowed_users: [alice@example.com]
                    sub_policies:
                      - id: contractors
                        name: Contractors
                        allowed_users: [bob@example.com]
                        allowed_domains: [partner.example]
                      - allowed_idp_claims:
                          department: [it]
                        explanation: only IT
                """, env());

        var policy = route(loaded, 0).access().compiled();
        assertThat(policy.evaluate(request(user("alice@example.com"), "/")).allowed()).isTrue();
        assertThat(policy.evaluate(request(user("bob@example.com"), "/")).allowed()).isTrue();
        assertThat(policy.evaluate(request(user("carol@partner.example"), "/")).allowed()).isTrue();
        assertThat(policy.evaluate(request(new Identity("dave", "dave@example.com", List.of(),
                Map.of("department", List.of("it"))), "/")).allowed()).isTrue();
        assertThat(policy.evaluate(request(user("mallory@example.com"), "/")).allowed()).isFalse();
        assertThat(loaded.warnings()).noneMatch(w -> w.contains("sub_policies"));
    }

    @Test
    void subPoliciesWithRegoAreRefusedAndSourcePplIsWarnedAbout() throws ConfigException {
        assertThat(problems(dir, """
                routes:
                  - from: https://app.example
                    to: http://app
                    sub_policies:
                      - allowed_users: [bob@example.com]
                        rego: ["package pomerium.policy\\ndeny = true"]
                """, env())).containsExactly("routes[0].sub_policies[0].rego: custom Rego is not supported:"
                + " Portcullis cannot evaluate it, and ignoring it could let in someone it denies; write the rule in"
                + " the route's policy: (allow/deny) instead");
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://app.example
                    to: http://app
                    sub_policies:
                      - allowed_user: [bob@example.com]
                        allowed_domains: [example.com]
                        source_ppl: "allow: {or: [{accept: true}]}"
                """, env());
        assertThat(loaded.warnings()).contains(
                "routes[0].sub_policies[0]: unknown sub-policy option \"allowed_user\" (did you mean"
                        + " \"allowed_users\"?); it is ignored",
                "routes[0].sub_policies[0].source_ppl: has no effect, as in Pomerium when read from a file; write the"
                        + " rule in the route's policy: instead");
    }

    @Test
    void subPoliciesMustBeAList() {
        assertThat(problems(dir, """
                routes:
                  - from: https://app.example
                    to: http://app
                    sub_policies: {allowed_users: [bob@example.com]}
                """, env())).singleElement().asString().startsWith("routes[0].sub_policies: expected a list of sub-policies");
    }
}
