package dev.portcullis.authn.session;

import static dev.portcullis.authn.session.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.testing.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryRevocationStoreTest {

    private final StoppedClock clock = new StoppedClock(NOW);
    private final MemoryRevocationStore store = new MemoryRevocationStore(clock, 10_000);

    @Test
    void aRevokedSessionStaysRevokedUntilItWouldHaveExpired() {
        Instant until = NOW.plus(Duration.ofHours(14));
        store.revoke("sid-1", until);

        assertThat(store.isRevoked("sid-1", NOW)).isCompletedWithValue(true);
        assertThat(store.isRevoked("sid-1", until.minusSeconds(1))).isCompletedWithValue(true);
        assertThat(store.isRevoked("sid-1", until)).isCompletedWithValue(false);
        assertThat(store.isRevoked("sid-2", NOW)).isCompletedWithValue(false);
    }

    @Test
    void revokingAgainKeepsTheLaterTime() {
        store.revoke("sid", NOW.plusSeconds(600));
        store.revoke("sid", NOW.plusSeconds(60));
        assertThat(store.isRevoked("sid", NOW.plusSeconds(300))).isCompletedWithValue(true);
    }

    @Test
    void aRevocationThatHasAlreadyEndedIsNotKept() {
        store.revoke("sid", NOW.minusSeconds(1));
        store.revokeUser("user", NOW, NOW);
        assertThat(store.size()).isZero();
        assertThat(store.isRevoked("sid", NOW.minusSeconds(10))).isCompletedWithValue(false);
    }

    @Test
    void revokingAUserRevokesTheSessionsIssuedBeforeThenOnly() {
        Session before = session("user-alice", NOW.minusSeconds(3600));
        Session after = session("user-alice", NOW.plusSeconds(1));
        Session other = session("user-bob", NOW.minusSeconds(3600));
        Instant until = NOW.plus(Duration.ofHours(14));

        store.revokeUser("user-alice", NOW, until);

        assertThat(store.isRevoked(before, NOW)).isCompletedWithValue(true);
        assertThat(store.isRevoked(after, NOW.plusSeconds(2))).isCompletedWithValue(false);
        assertThat(store.isRevoked(other, NOW)).isCompletedWithValue(false);
        assertThat(store.isRevoked(before, until)).isCompletedWithValue(false);
    }

    @Test
    void sessionRevocationAndUserRevocationCombine() {
        Session alice = session("user-alice", NOW);
        assertThat(store.isRevoked(alice, NOW)).isCompletedWithValue(false);
        store.revoke(alice.sessionId(), alice.expiresAt());
        assertThat(store.isRevoked(alice, NOW)).isCompletedWithValue(true);
    }

    @Test
    void revokingAUserAgainKeepsTheLaterOfEachTime() {
        store.revokeUser("user", NOW.minusSeconds(100), NOW.plusSeconds(1000));
        store.revokeUser("user", NOW, NOW.plusSeconds(500));
        assertThat(store.isUserRevoked("user", NOW.minusSeconds(50), NOW.plusSeconds(800))).isCompletedWithValue(true);
        assertThat(store.isUserRevoked("user", NOW, NOW)).isCompletedWithValue(false);
    }

    @Test
    void expiredEntriesArePrunedOnWrite() {
        for (int i = 0; i < 900; i++) {
            store.revoke("sid-" + i, NOW.plusSeconds(30));
            store.revokeUser("user-" + i, NOW, NOW.plusSeconds(30));
        }
        assertThat(store.size()).isEqualTo(1800);

        clock.set(NOW.plus(Duration.ofMinutes(2)));
        store.revoke("fresh", NOW.plus(Duration.ofHours(1)));
        store.revokeUser("fresh-user", NOW, NOW.plus(Duration.ofHours(1)));

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.isRevoked("fresh", clock.instant())).isCompletedWithValue(true);
    }

    @Test
    void memoryIsBoundedAndTheRevocationsEndingSoonestGoFirst() {
        MemoryRevocationStore small = new MemoryRevocationStore(clock, 100);
        for (int i = 0; i < 5_000; i++) {
            small.revoke("sid-" + i, NOW.plusSeconds(60 + i));
        }
        assertThat(small.size()).isLessThanOrEqualTo(101);
        assertThat(small.isRevoked("sid-4999", NOW)).isCompletedWithValue(true);
        assertThat(small.isRevoked("sid-0", NOW)).isCompletedWithValue(false);
    }

    @Test
    void concurrentWritersAndReadersSeeEveryRevocation() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        MemoryRevocationStore large = new MemoryRevocationStore(clock, threads * perThread);
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        large.revoke("sid-" + thread + "-" + i, NOW.plusSeconds(3600));
                        large.revokeUser("user-" + thread, NOW.plusSeconds(i), NOW.plusSeconds(7200));
                        assertThat(large.isRevoked("sid-" + thread + "-" + i, NOW)).isCompletedWithValue(true);
                    }
                    return null;
                }));
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread * 5; i++) {
                        large.isRevoked("sid-" + thread + "-" + (i % perThread), NOW);
                        large.isUserRevoked("user-" + thread, NOW, NOW);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(large.isRevoked("sid-" + t + "-" + i, NOW)).isCompletedWithValue(true);
            }
            assertThat(large.isUserRevoked("user-" + t, NOW.plusSeconds(perThread - 2), NOW)).isCompletedWithValue(true);
        }
    }

    private static Session session(String userId, Instant issuedAt) {
        return new Session(Session.newSessionId(Sessions.RANDOM), userId, null, null, null, null,
                issuedAt, issuedAt.plus(Duration.ofHours(14)), Optional.empty(), Optional.empty());
    }
}
