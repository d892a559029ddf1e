package dev.portcullis.bench.policy;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Identity;
import dev.portcullis.policy.LegacyRules;
import dev.portcullis.policy.Policy;
import dev.portcullis.policy.PolicyCompiler;
import dev.portcullis.policy.PolicyException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Evaluation of a compiled policy for one request, as the proxy does on every request. Compilation happens
 * once in {@link #compile()}, as it does when the configuration is loaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyEvaluationBenchmark {

    private static final Instant WEDNESDAY_NOON = Instant.parse("2024-06-12T12:00:00Z");

    private Policy synology;
    private Policy twentyCriteria;
    private AccessRequest owner;
    private AccessRequest stranger;
    private AccessRequest anonymous;
    private AccessRequest staffMember;

    @Setup
    public void compile() throws PolicyException {
        synology = PolicyCompiler.compile("policy[0]", LegacyRules.none(), List.of(Map.of("allow",
                Map.of("or", List.of(Map.of("email", Map.of("is", "your.email.address@gmail.com")))))));
        twentyCriteria = PolicyCompiler.compile("routes[0]", LegacyRules.none(), twentyCriteriaPolicy());
        owner = request(Identity.of("u-owner", "your.email.address@gmail.com"), "GET", "/", "192.168.1.20");
        stranger = request(Identity.of("u-other", "someone.else@gmail.com"), "GET", "/", "192.168.1.20");
        anonymous = new AccessRequest(Optional.empty(), "GET", "/", "192.168.1.20", WEDNESDAY_NOON, false,
                Optional.empty(), false);
        staffMember = request(new Identity("u-42", "alice@example.com", List.of("staff", "ops"),
                Map.of("department", "eng", "org", Map.of("team", "platform"), "email_verified", true)),
                "POST", "/app/orders", "10.1.2.3");
        check(synology.evaluate(owner), true);
        check(synology.evaluate(stranger), false);
        check(twentyCriteria.evaluate(staffMember), true);
    }

    /** Sixteen criteria that must all hold, and four deny criteria that must not. */
    private static Object twentyCriteriaPolicy() {
        Map<String, Object> allow = Map.of("and", List.of(
                Map.of("authenticated_user", true),
                Map.of("domain", Map.of("is", "example.com")),
                Map.of("email", Map.of("ends_with", "@example.com", "not", "root@example.com")),
                Map.of("user", Map.of("not_in", List.of("u-1", "u-2", "u-3"))),
                Map.of("groups", Map.of("has", "staff")),
                Map.of("groups", Map.of("exclude", "contractors")),
                Map.of("claim/department", Map.of("has", "eng")),
                Map.of("claim/org/team", "platform"),
                Map.of("claim/email_verified", true),
                Map.of("http_method", Map.of("in", List.of("GET", "HEAD", "POST"))),
                Map.of("http_path", Map.of("starts_with", "/app/")),
                Map.of("source_ip", List.of("10.0.0.0/8", "192.168.0.0/16", "fd00::/8")),
                Map.of("day_of_week", "mon-fri"),
                Map.of("time_of_day", Map.of("timezone", "Europe/Berlin", "after", "7:00", "before", "20:00")),
                Map.of("date", Map.of("after", "2020-01-01", "before", "2100-01-01")),
                Map.of("email", Map.of("contains", "@"))));
        Map<String, Object> deny = Map.of("or", List.of(
                Map.of("http_method", "DELETE"),
                Map.of("email", Map.of("in", List.of("mallory@example.com", "eve@example.com"))),
                Map.of("source_ip", "10.66.0.0/16"),
                Map.of("invalid_client_certificate", true)));
        return List.of(Map.of("allow", allow), Map.of("deny", deny));
    }

    private static AccessRequest request(Identity identity, String method, String path, String address) {
        return new AccessRequest(Optional.of(identity), method, path, address, WEDNESDAY_NOON, false,
                Optional.empty(), false);
    }

    private static void check(Decision decision, boolean allowed) {
        if (decision.allowed() != allowed) {
            throw new IllegalStateException("unexpected decision: " + decision);
        }
    }

    /** The Synology guide's route, its owner signed in: allowed. */
    @Benchmark
    public Decision typicalRouteAllowed() {
        return synology.evaluate(owner);
    }

    /** The same route, someone else signed in: denied, with the explanation built. */
    @Benchmark
    public Decision typicalRouteDenied() {
        return synology.evaluate(stranger);
    }

    /** The same route, not signed in: sign-in required. */
    @Benchmark
    public Decision typicalRouteAnonymous() {
        return synology.evaluate(anonymous);
    }

    /** Twenty criteria (sixteen allow, four deny), all evaluated: allowed. */
    @Benchmark
    public Decision twentyCriteriaAllowed() {
        return twentyCriteria.evaluate(staffMember);
    }
}
