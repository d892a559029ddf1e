package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.testing.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryLoginThrottleTest {

    private final StoppedClock clock = new StoppedClock(Instant.parse("2026-01-31T09:00:00Z"));
    private final Joined throttle = new Joined(new MemoryLoginThrottle(clock));

    @Test
    void fourFailuresAreFreeTheFifthLocksForOneSecondThenTheDelayDoubles() {
        for (int i = 0; i < 4; i++) {
            fail("alice@example.com", "192.0.2.1");
        }
        assertThat(throttle.begin("alice@example.com", "192.0.2.1")).isEmpty();
        throttle.failed("alice@example.com", "192.0.2.1");

        assertThat(throttle.begin("alice@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        for (long expected : new long[] {2, 4, 8, 16, 32, 64, 128, 256, 300, 300}) {
            clock.advance(throttle.begin("alice@example.com", "192.0.2.1").orElseThrow());
            fail("alice@example.com", "192.0.2.1");
            assertThat(throttle.begin("alice@example.com", "192.0.2.1")).contains(Duration.ofSeconds(expected));
        }
    }

    @Test
    void theLockEndsOnItsOwnAndFailuresAreForgottenAfterFifteenQuietMinutes() {
        for (int i = 0; i < 7; i++) {
            Optional<Duration> wait = throttle.begin("alice@example.com", "192.0.2." + i);
            if (wait.isPresent()) {
                clock.advance(wait.get());
                assertThat(throttle.begin("alice@example.com", "192.0.2." + i)).isEmpty();
            }
            throttle.failed("alice@example.com", "192.0.2." + i);
        }
        assertThat(throttle.begin("alice@example.com", "192.0.2.99")).contains(Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(4));
        assertThat(throttle.begin("alice@example.com", "192.0.2.99")).isEmpty();
        throttle.finished("alice@example.com", "192.0.2.99");

        clock.advance(Duration.ofMinutes(15));
        for (int i = 0; i < 4; i++) {
            fail("alice@example.com", "192.0.2.99");
        }
        assertThat(throttle.begin("alice@example.com", "192.0.2.99")).isEmpty();
    }

    @Test
    void failuresAreCountedPerAccountWhetherOrNotItExists() {
        for (int i = 0; i < 5; i++) {
            fail("NOBODY@example.com", "198.51.100." + i);
        }

        assertThat(throttle.begin("nobody@example.com", "203.0.113.7")).contains(Duration.ofSeconds(1));
        assertThat(throttle.begin("alice@example.com", "203.0.113.7")).isEmpty();
    }

    @Test
    void failuresAreCountedPerClientAddressAcrossAccounts() {
        for (int i = 0; i < 5; i++) {
            fail("user" + i + "@example.com", "192.0.2.1");
        }

        assertThat(throttle.begin("someone.else@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(throttle.begin("someone.else@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void aSuccessResetsTheAccountButNotTheAddress() {
        for (int i = 0; i < 4; i++) {
            fail("alice@example.com", "192.0.2.1");
        }
        assertThat(throttle.begin("alice@example.com", "192.0.2.1")).isEmpty();
        throttle.succeeded("alice@example.com", "192.0.2.1");

        fail("alice@example.com", "192.0.2.2");
        assertThat(throttle.begin("alice@example.com", "192.0.2.2")).isEmpty();
        throttle.finished("alice@example.com", "192.0.2.2");
        fail("bob@example.com", "192.0.2.1");
        assertThat(throttle.begin("carol@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
    }

    @Test
    void attemptsInFlightCountSoParallelGuessesCannotRacePastTheThreshold() {
        int started = 0;
        for (int i = 0; i < 20; i++) {
            if (throttle.begin("alice@example.com", "192.0.2." + i).isEmpty()) {
                started++;
            }
        }

        assertThat(started).isEqualTo(MemoryLoginThrottle.THRESHOLD);
    }

    @Test
    void memoryIsBounded() {
        Joined small = new Joined(new MemoryLoginThrottle(clock, 100));
        for (int i = 0; i < 1_000; i++) {
            assertThat(small.begin("user" + i + "@example.com", "192.0.2.1")).isEmpty();
            small.failed("user" + i + "@example.com", "192.0.2.1");
            clock.advance(Duration.ofMinutes(6));
        }

        assertThat(small.size()).isLessThanOrEqualTo(101);
    }

    private void fail(String email, String address) {
        Optional<Duration> wait = throttle.begin(email, address);
        assertThat(wait).as("attempt for %s from %s", email, address).isEmpty();
        throttle.failed(email, address);
    }

    /** The memory throttle's answers, complete when returned. */
    private record Joined(MemoryLoginThrottle memory) {
        Optional<Duration> begin(String email, String address) {
            return memory.begin(email, address).toCompletableFuture().join();
        }

        void failed(String email, String address) {
            memory.failed(email, address).toCompletableFuture().join();
        }

        void succeeded(String email, String address) {
            memory.succeeded(email, address).toCompletableFuture().join();
        }

        void finished(String email, String address) {
            memory.finished(email, address).toCompletableFuture().join();
        }

        int size() {
            return memory.size();
        }
    }
}
