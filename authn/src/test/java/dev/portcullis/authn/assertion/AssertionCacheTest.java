package dev.portcullis.authn.assertion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AssertionCacheTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final SigningKey key = SigningKey.derivedFrom(new byte[32]);

    @Test
    void sameSessionAndHostWithinTheWindowGetsTheSameToken() {
        AssertionSigner signer = new AssertionSigner(key);
        AssertionSubject alice = subject("s1");

        String first = signer.assertionFor(alice, "app.example", NOW);

        assertThat(signer.assertionFor(alice, "app.example", NOW.plusSeconds(1))).isSameAs(first);
        assertThat(signer.assertionFor(alice, "app.example", NOW.plusSeconds(149))).isSameAs(first);
    }

    @Test
    void anotherHostOrSessionGetsAnotherToken() {
        AssertionSigner signer = new AssertionSigner(key);

        String first = signer.assertionFor(subject("s1"), "app.example", NOW);

        assertThat(signer.assertionFor(subject("s1"), "wiki.example", NOW)).isNotEqualTo(first);
        assertThat(signer.assertionFor(subject("s2"), "app.example", NOW)).isNotEqualTo(first);
        assertThat(signer.assertionFor(subject("s1"), "app.example", NOW)).isEqualTo(first);
    }

    @Test
    void halfWayThroughItsLifeANewTokenIsSigned() {
        AssertionSigner signer = new AssertionSigner(key);
        AssertionSubject alice = subject("s1");

        String first = signer.assertionFor(alice, "app.example", NOW);
        String renewed = signer.assertionFor(alice, "app.example", NOW.plusSeconds(150));

        assertThat(renewed).isNotEqualTo(first);
        assertThat(signer.assertionFor(alice, "app.example", NOW.plusSeconds(200))).isSameAs(renewed);
    }

    @Test
    void nearTheSessionsEndTheShortTokenIsRenewedSooner() {
        AssertionSigner signer = new AssertionSigner(key);
        AssertionSubject ending = new AssertionSubject("s1", "u", null, null, List.of(), NOW.plusSeconds(20));

        String first = signer.assertionFor(ending, "app.example", NOW);

        assertThat(signer.assertionFor(ending, "app.example", NOW.plusSeconds(9))).isSameAs(first);
        assertThat(signer.assertionFor(ending, "app.example", NOW.plusSeconds(10))).isNotEqualTo(first);
    }

    @Test
    void aRefreshedSessionWithOtherClaimsGetsANewToken() {
        AssertionSigner signer = new AssertionSigner(key);

        String first = signer.assertionFor(subject("s1"), "app.example", NOW);
        AssertionSubject moreGroups = new AssertionSubject("s1", "u-s1", "s1@example.com", "S1", List.of("g", "admins"),
                NOW.plusSeconds(3600));

        assertThat(signer.assertionFor(moreGroups, "app.example", NOW.plusSeconds(1))).isNotEqualTo(first);
    }

    @Test
    void boundedUnderManySessions() {
        AssertionSigner signer = new AssertionSigner(key, 40);
        List<String> tokens = new ArrayList<>();

        // Ten sessions a second: an assertion's issue time has whole seconds, and the sweep evicts the oldest seconds
        // first (within one second its order is the map's), so the first second's sessions are surely gone.
        for (int i = 0; i < 300; i++) {
            tokens.add(signer.assertionFor(subject("s" + i), "app.example", NOW.plusMillis(i * 100L)));
            assertThat(signer.cachedAssertions()).isLessThanOrEqualTo(40);
        }

        // Still within every token's window: the newest session is served from the cache, the oldest was evicted.
        Instant later = NOW.plusSeconds(31);
        assertThat(signer.assertionFor(subject("s299"), "app.example", later)).isSameAs(tokens.get(299));
        assertThat(signer.assertionFor(subject("s0"), "app.example", later)).isNotEqualTo(tokens.get(0));
    }

    @Test
    void renewedEntriesAreSweptFirst() {
        AssertionSigner signer = new AssertionSigner(key, 10);
        for (int i = 0; i < 10; i++) {
            signer.assertionFor(subject("old" + i), "app.example", NOW);
        }
        signer.assertionFor(subject("new"), "app.example", NOW.plusSeconds(200));

        assertThat(signer.cachedAssertions()).isEqualTo(1);
    }

    @Test
    void concurrentUseFromSeveralThreads() throws Exception {
        AssertionSigner signer = new AssertionSigner(key, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Set<String>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < 120; i++) {
                        // 30 sessions on 2 hosts: more (session, host) pairs than the capacity, so sweeps race lookups.
                        AssertionSubject s = subject("s" + (i % 30));
                        String token = signer.assertionFor(s, "h" + (i % 2), NOW.plusMillis(i));
                        assertThat(token).isNotBlank();
                        seen.add(token);
                    }
                    return seen;
                });
            }
            Set<String> all = new HashSet<>();
            for (Future<Set<String>> result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                all.addAll(result.get());
            }
            assertThat(all).isNotEmpty();
            // Soft bound: at most the capacity plus the insertions racing a sweep.
            assertThat(signer.cachedAssertions()).isLessThanOrEqualTo(50 + 8);
        } finally {
            pool.shutdownNow();
        }
        // Every token handed out verifies.
        String one = signer.assertionFor(subject("s1"), "h1", NOW);
        Jose4jVerifier.verify(one, new KeySetDocuments(key).jwksJson(), "ES256", "h1", NOW);
    }

    @Test
    void concurrentRequestsForOneSessionShareATokenOnceCached() throws Exception {
        AssertionSigner signer = new AssertionSigner(key);
        String cached = signer.assertionFor(subject("s1"), "app.example", NOW);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                tasks.add(() -> signer.assertionFor(subject("s1"), "app.example", NOW.plusSeconds(10)));
            }
            for (Future<String> result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                assertThat(result.get()).isSameAs(cached);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static AssertionSubject subject(String sessionId) {
        return new AssertionSubject(sessionId, "u-" + sessionId, sessionId + "@example.com", sessionId.toUpperCase(), List.of("g"),
                NOW.plusSeconds(3600));
    }
}
