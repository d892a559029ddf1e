package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.testing.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An unknown email takes as long to refuse as a known email with a wrong password, measured over
 * many interleaved attempts with the real Argon2id and compared with a rank test (Mann–Whitney U),
 * not against a fixed time, so that a busy machine slows both alike.
 */
class SignInTimingTest {
    private static final int ATTEMPTS = 30;

    @Test
    void unknownAndKnownEmailsTakeTheSameTime() {
        StoppedClock clock = new StoppedClock(Instant.parse("2026-01-31T09:00:00Z"));
        UsersFile users = UsersFile.empty().with(new BuiltinUser("alice@example.com", "Alice", List.of(),
                Optional.of(PasswordHasher.hash("alice's password".toCharArray())), Optional.empty()));
        // Direct executor: the measurement is the check itself. The clock moves past the throttle's
        // window after every attempt, so no attempt is throttled.
        BuiltinSignIn signIn = new BuiltinSignIn(() -> users, Runnable::run, clock, BuiltinStores.inMemory(clock));
        List<Long> known = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // warm-up
            time(signIn, clock, "alice@example.com");
            time(signIn, clock, "nobody@example.com");
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            known.add(time(signIn, clock, "alice@example.com"));
            unknown.add(time(signIn, clock, "nobody" + i + "@example.com"));
        }
        double z = mannWhitneyZ(known, unknown);
        assertThat(Math.abs(z)).as("rank test z of known %s vs unknown %s (ns)", known, unknown).isLessThan(3.3);
    }

    @Test
    void theRankTestSeesADifferenceWhenThereIsOne() {
        List<Long> slow = new ArrayList<>();
        List<Long> fast = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            slow.add(70_000_000L + i * 100_000L);
            fast.add(1_000_000L + i * 100_000L);
        }
        assertThat(Math.abs(mannWhitneyZ(slow, fast))).isGreaterThan(3.3);
    }

    private static long time(BuiltinSignIn signIn, StoppedClock clock, String email) {
        long start = System.nanoTime();
        BuiltinSignIn.Outcome outcome = signIn.password(email, "wrong password".toCharArray(), "192.0.2.1")
                .toCompletableFuture().join();
        long elapsed = System.nanoTime() - start;
        assertThat(outcome).isInstanceOf(BuiltinSignIn.Outcome.Refused.class);
        clock.advance(Duration.ofMinutes(20));
        return elapsed;
    }

    /** The normal approximation of the Mann–Whitney U statistic (no ties expected in nanosecond timings). */
    static double mannWhitneyZ(List<Long> a, List<Long> b) {
        double u = 0;
        for (long x : a) {
            for (long y : b) {
                u += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }
        double n1 = a.size();
        double n2 = b.size();
        double mean = n1 * n2 / 2;
        double sd = Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
        return (u - mean) / sd;
    }
}
