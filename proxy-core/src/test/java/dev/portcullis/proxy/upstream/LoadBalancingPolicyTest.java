package dev.portcullis.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.LoadedConfig;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code load_balancing_policy} as several real upstreams see it, counting the requests each receives. */
class LoadBalancingPolicyTest {
    private final List<TestUpstream> upstreams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            upstreams.add(new TestUpstream(name));
        }
    }

    @AfterEach
    void stop() {
        upstreams.forEach(TestUpstream::close);
    }

    @Test
    void roundRobinTakesEachEndpointInTurn() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(route("ROUND_ROBIN"))) {
            List<String> order = send(proxy, 9);
            assertThat(order).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
        }
    }

    @Test
    void randomSpreadsRequestsOverEveryEndpointButNotInTurn() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(route("random"))) {
            List<String> order = send(proxy, 90);
            assertThat(order).contains("a", "b", "c");
            assertThat(order.subList(0, 9)).isNotEqualTo(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"));
            assertThat(counts(order)).allSatisfy(n -> assertThat(n).isBetween(5, 60));
        }
    }

    @Test
    void leastRequestAvoidsTheEndpointStillBusyWithASlowRequest() throws Exception {
        try (RunningProxy proxy = RunningProxy.start("""
                routes:
                  - from: http://app.example.com
                    to: [%s, %s]
                    load_balancing_policy: LOAD_BALANCING_POLICY_LEAST_REQUEST
                    allow_public_unauthenticated_access: true
                """.formatted(upstreams.get(0).url(), upstreams.get(1).url()))) {
            CompletableFuture<HttpResponse<String>> slow = proxy.client().sendAsync(
                    proxy.request("app.example.com", "/slow/3000").GET().build(), HttpResponse.BodyHandlers.ofString());
            TestUpstream busy = awaitRequest();

            List<String> order = send(proxy, 10);

            String idle = busy == upstreams.get(0) ? "b" : "a";
            assertThat(order).as("every request while %s is busy", busy == upstreams.get(0) ? "a" : "b")
                    .containsOnly(idle).hasSize(10);
            assertThat(slow.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ringHashAndMaglevLoadAsRandomWithAWarning() throws Exception {
        for (String policy : List.of("RING_HASH", "maglev")) {
            LoadedConfig loaded = load(route(policy));
            assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                    .startsWith("routes[0].load_balancing_policy: \"" + policy + "\" is served as RANDOM"));
        }
    }

    @Test
    void anUnknownPolicyIsAProblemNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(route("FASTEST")))
                .isInstanceOfSatisfying(dev.portcullis.config.ConfigException.class, e ->
                        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString())
                                .contains("routes[0].load_balancing_policy").contains("FASTEST")));
    }

    private String route(String policy) {
        return """
                routes:
                  - from: http://app.example.com
                    to: [%s, %s, %s]
                    load_balancing_policy: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstreams.get(0).url(), upstreams.get(1).url(), upstreams.get(2).url(), policy);
    }

    private static LoadedConfig load(String yaml) throws Exception {
        Path file = Files.createTempFile("portcullis-test", ".yaml");
        try {
            Files.writeString(file, RunningProxy.withDefaults(yaml));
            return new dev.portcullis.config.ConfigLoader(new HashMap<>()).load(Optional.of(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Sends {@code n} requests one after the other; the names of the upstreams that answered, in order. */
    private static List<String> send(RunningProxy proxy, int n) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = proxy.get("app.example.com", "/n" + i).body();
            names.add(body.replaceFirst("^\\{\"upstream\":\"([a-z])\".*", "$1"));
        }
        return names;
    }

    private static List<Integer> counts(List<String> order) {
        return List.of("a", "b", "c").stream().map(name -> (int) order.stream().filter(name::equals).count()).toList();
    }

    /** The upstream that received the first request (polled: the request is on its way). */
    private TestUpstream awaitRequest() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (TestUpstream upstream : upstreams) {
                if (!upstream.requests().isEmpty()) {
                    return upstream;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no upstream received the slow request");
    }
}
