package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The compiled policy as a whole: description, public routes, thread safety, allocation, argument checks. */
class PolicyTest {

    @Test
    void describesEveryOperatorReadably() {
        Policy policy = Policies.compile("[{allow: {and: [{email: {starts_with: admin@, ends_with: .org}},"
                + " {groups: {has: ops, exclude: guests}}]}},"
                + " {allow: {or: [{source_ip: [10.0.0.0/8, \"::1\"]}, {day_of_week: mon-fri}]}},"
                + " {deny: {not: [{time_of_day: {timezone: Europe/Paris, after: 8:00, before: 20:00}}],"
                + " nor: [{date: {after: 2024-01-01}}, {http_path: {in: [/a, /b]}}]}}]");

        assertThat(policy.describe()).isEqualTo("""
                allow if all of [email starts_with admin@ and ends_with .org, groups has ops and exclude guests]
                allow if any of [source_ip in [10.0.0.0/8, ::1], day_of_week mon-fri]
                deny if none of [time_of_day after 08:00 before 20:00 (Europe/Paris)]
                deny if not all of [date after 2024-01-01T00:00:00Z, http_path in [/a, /b]]""");
        assertThat(Policies.compile(null).describe()).isEqualTo("no rules: denies everyone");
    }

    @Test
    void publicOnlyWhenAcceptIsAllThereIs() {
        assertThat(Policies.compile("{allow: {or: [{accept: true}]}}").isPublic()).isTrue();
        assertThat(Policies.compile("[{allow: {and: [{accept: true}]}}, {allow: {or: [{accept: 1}]}}]").isPublic()).isTrue();
        assertThat(Policies.compile("{allow: {or: [{accept: true}, {email: a@b.c}]}}").isPublic()).isFalse();
        assertThat(Policies.compile("{allow: {not: [{reject: true}]}}").isPublic()).isFalse();
        assertThat(Policies.compile("{allow: {or: [{accept: true}]}, deny: {or: [{http_method: DELETE}]}}").isPublic())
                .isFalse();
        assertThat(Policies.compile(null).isPublic()).isFalse();
    }

    @Test
    void evaluatesConcurrently() throws Exception {
        Policy policy = Policies.compile("{allow: {or: [{domain: example.com}, {groups: admins}]},"
                + " deny: {or: [{http_method: DELETE}]}}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 4000).mapToObj(i -> pool.submit(() -> {
                boolean shouldAllow = i % 3 != 0;
                String email = shouldAllow ? "u" + i + "@example.com" : "u" + i + "@other.example";
                return policy.evaluate(as(email).build()).allowed() == shouldAllow;
            })).toList();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAllowedRequestCostsOneSmallAllocation() {
        Policy policy = Policies.compile("[{allow: {or: [{email: {is: your.email.address@gmail.com}}]}}]");
        AccessRequest request = as("your.email.address@gmail.com").build();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50_000; i++) {
            policy.evaluate(request);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        int rounds = 10_000;
        for (int i = 0; i < rounds; i++) {
            policy.evaluate(request);
        }
        long perEvaluation = (threads.getCurrentThreadAllocatedBytes() - before) / rounds;

        // the Decision record (and nothing per criterion); generous for interpreted runs
        assertThat(perEvaluation).isLessThanOrEqualTo(64);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> PolicyCompiler.compile(null, LegacyRules.none(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("yamlPath");
        assertThatThrownBy(() -> Policies.compile(null).evaluate(null))
                .isInstanceOf(NullPointerException.class).hasMessage("request");
        assertThatThrownBy(() -> new AccessRequest(Optional.empty(), "GET", "/", "", null, false, Optional.empty(), false))
                .isInstanceOf(NullPointerException.class).hasMessage("time");
        assertThatThrownBy(() -> new Identity(null, "a@b.c", null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("userId");
        assertThatThrownBy(() -> new PolicyException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identitiesAndDecisionsCannotBeChangedAfterwards() {
        Identity identity = new Identity("u", null, List.of("a"), Map.of("k", "v"));
        Decision decision = Policies.compile("{allow: {or: [{email: x}, {groups: y}]}}")
                .evaluate(new AccessRequest(Optional.of(identity), "GET", "/", "", Instant.EPOCH, false,
                        Optional.empty(), false));

        assertThatThrownBy(() -> identity.groups().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> identity.claims().put("k", "w")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> decision.reasons().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(decision.explanation()).isEqualTo("denied: no allow rule matched; routes[0] requires one of"
                + " (email is x, you have no email address; groups has y, your groups are [a])");
    }

    @Test
    void problemsReadAsPathAndMessage() {
        assertThat(new PolicyProblem("routes[1].policy", "oops")).hasToString("routes[1].policy: oops");
    }
}
