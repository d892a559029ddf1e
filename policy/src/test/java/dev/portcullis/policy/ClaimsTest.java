package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code claim/<path>}: list-valued, nested (by / or .), literal keys first, numbers and booleans as text. */
class ClaimsTest {

    private static final Map<String, Object> CLAIMS = Map.of(
            "family_name", "Smith",
            "roles", List.of("editor", "viewer"),
            "org", Map.of("team", "platform", "site", Map.of("city", "Lyon")),
            "example.com/role", "owner",
            "example", Map.of("com", Map.of("role", "nested-owner"), "com/tier", "gold"),
            "email_verified", true,
            "level", 3,
            "ratio", 0.5,
            "nothing", List.of());

    static Stream<Arguments> claims() {
        return Stream.of(
                arguments("claim/family_name: Smith", true),
                arguments("claim/family_name: smith", false),
                arguments("claim/family_name: {is: Smith}", true),
                arguments("claim/family_name: {exclude: Jones}", true),
                arguments("claim/roles: viewer", true),
                arguments("claim/roles: {is: viewer}", false),
                arguments("claim/roles: {exclude: admin}", true),
                arguments("claim/roles: {exclude: editor}", false),
                arguments("claim/org/team: platform", true),
                arguments("claim/org.team: platform", true),
                arguments("claim/org/site/city: Lyon", true),
                arguments("claim/org.site/city: Lyon", true),
                arguments("claim/org/team/x: platform", false),
                arguments("claim/example.com/role: owner", true),
                arguments("claim/example.com/role: nested-owner", false),
                arguments("claim/example/com/role: nested-owner", true),
                arguments("claim/email_verified: true", true),
                arguments("claim/email_verified: \"true\"", true),
                arguments("claim/email_verified: false", false),
                arguments("claim/level: 3", true),
                arguments("claim/level: \"3\"", true),
                arguments("claim/ratio: \"0.5\"", true),
                arguments("claim/nothing: {exclude: x}", true),
                arguments("claim/nothing: x", false),
                arguments("claim/missing: x", false),
                arguments("claim/missing: {exclude: x}", true),
                arguments("claim/org: platform", false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("claims")
    void claim(String criterion, boolean allowed) {
        Identity identity = new Identity("u1", "a@example.com", List.of(), CLAIMS);

        assertThat(Policies.allows("{allow: {or: [{" + criterion + "}]}}", as(identity))).isEqualTo(allowed);
    }

    @Test
    void explanationShowsTheClaimTheRequestHad() {
        Identity identity = new Identity("u1", "a@example.com", List.of(), CLAIMS);

        assertThat(Policies.decide("{allow: {or: [{claim/roles: admin}]}}", as(identity)).explanation())
                .isEqualTo("denied: no allow rule matched; routes[0] requires claim/roles has admin,"
                        + " your claim roles is [editor, viewer]");
        assertThat(Policies.decide("{allow: {or: [{claim/team: a}]}}", as(identity)).explanation())
                .endsWith("claim/team has a, you have no claim team");
    }

    @Test
    void claimsMayHoldJsonNulls() {
        Map<String, Object> claims = new java.util.HashMap<>();
        claims.put("manager", null);
        Identity identity = new Identity("u1", "a@example.com", List.of(), claims);

        assertThat(Policies.allows("{allow: {or: [{claim/manager: {exclude: bob}}]}}", as(identity))).isTrue();
        assertThat(Policies.allows("{allow: {or: [{claim/manager: bob}]}}", as(identity))).isFalse();
    }
}
