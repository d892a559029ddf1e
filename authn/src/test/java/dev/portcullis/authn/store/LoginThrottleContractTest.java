package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.testing.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The contract of a shared {@link LoginThrottle}, run against a real server by each store's subclass: replicas with
 * connections of their own throttle sign-ins in one store by {@link MemoryLoginThrottle}'s rules, as if they were
 * one throttle:
 * <ul>
 *   <li>failures on every replica add up, per account (the email lower-cased) and per address: the fifth locks for a
 *       second, then the delay doubles up to five minutes; a lock ends on its own, and failures are forgotten after
 *       {@link MemoryLoginThrottle#WINDOW} without one;</li>
 *   <li>a success forgets the account's failures everywhere, not the address's;</li>
 *   <li>attempts in flight on every replica count towards the threshold, racing ones too, and one never ended stops
 *       counting after the store's in-flight lifetime;</li>
 *   <li>while the server is stopped every step fails with {@link StoreUnavailable} (without the email), and the same
 *       throttle works once the server is back.</li>
 * </ul>
 * The replicas share {@link #clock}, which starts now and which the tests move forward (the server's own expiries
 * then come later than the rules need, never earlier). How counts are kept (keys, rows) is each subclass's own.
 */
public abstract class LoginThrottleContractTest {
    /** The replicas' clock: it stands still at an instant the tests move forward. */
    protected final StoppedClock clock = new StoppedClock(Instant.ofEpochMilli(System.currentTimeMillis()));

    /** The throttle under test on replica A, on {@link #clock}: a connection of its own to the server. */
    protected abstract LoginThrottle onReplicaA();

    /** The same throttle on replica B, with another connection. */
    protected abstract LoginThrottle onReplicaB();

    /** The same throttle on a connection of its own with {@code commandTimeout}; the subclass closes it. */
    protected abstract LoginThrottle withCommandTimeout(Duration commandTimeout);

    /** How long an attempt begun and never ended (its replica stopped) counts as in flight. */
    protected abstract Duration inFlightLifetime();

    /** The server the replicas share, which the tests stop and start again. */
    protected abstract TestServer server();

    @Test
    void failuresOnBothReplicasAddUpToOneLockForTheAccount() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        Replica[] replicas = {a, b};
        for (int i = 0; i < 5; i++) {
            fail(replicas[i % 2], "Alice@example.com", "198.51.100." + i);
        }

        assertThat(a.begin("alice@example.com", "203.0.113.7")).contains(Duration.ofSeconds(1));
        assertThat(b.begin("ALICE@example.com", "203.0.113.8")).as("the email as typed, lower-cased")
                .contains(Duration.ofSeconds(1));
        assertThat(b.begin("bob@example.com", "203.0.113.7")).as("another account").isEmpty();
    }

    @Test
    void failuresOnBothReplicasAddUpToOneLockForTheAddress() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        Replica[] replicas = {a, b};
        for (int i = 0; i < 5; i++) {
            fail(replicas[i % 2], "user" + i + "@example.com", "192.0.2.1");
        }

        assertThat(b.begin("someone.else@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(a.begin("someone.else@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(a.begin("someone.else@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void theFifthFailureLocksForOneSecondThenTheDelayDoublesUpToFiveMinutesWhicheverReplicaFails() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        for (int i = 0; i < 5; i++) {
            fail(i % 2 == 0 ? a : b, "alice@example.com", "192.0.2.1");
        }
        assertThat(a.begin("alice@example.com", "192.0.2.1")).contains(Duration.ofSeconds(1));
        int i = 0;
        for (long expected : new long[] {2, 4, 8, 16, 32, 64, 128, 256, 300, 300}) {
            Replica replica = i++ % 2 == 0 ? a : b;
            clock.advance(replica.begin("alice@example.com", "192.0.2.1").orElseThrow());
            fail(replica, "alice@example.com", "192.0.2.1");
            assertThat(b.begin("alice@example.com", "192.0.2.1")).contains(Duration.ofSeconds(expected));
        }
    }

    @Test
    void theLockEndsOnItsOwnAndFailuresAreForgottenAfterFifteenQuietMinutes() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        for (int i = 0; i < 5; i++) {
            fail(a, "alice@example.com", "192.0.2." + i);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.begin("alice@example.com", "192.0.2.99")).as("the lock ended").isEmpty();
        b.finished("alice@example.com", "192.0.2.99");

        clock.advance(MemoryLoginThrottle.WINDOW);
        for (int i = 0; i < 4; i++) {
            fail(b, "alice@example.com", "192.0.2.99");
        }
        assertThat(a.begin("alice@example.com", "192.0.2.99")).as("four failures since: free").isEmpty();
    }

    @Test
    void aSuccessOnOneReplicaForgetsTheAccountsFailuresEverywhereButNotTheAddresss() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        for (int i = 0; i < 4; i++) {
            fail(a, "alice@example.com", "192.0.2.1");
        }
        assertThat(b.begin("alice@example.com", "192.0.2.1")).isEmpty();
        b.succeeded("alice@example.com", "192.0.2.1");

        fail(a, "alice@example.com", "192.0.2.2");
        assertThat(a.begin("alice@example.com", "192.0.2.2")).as("one failure since the success").isEmpty();
        a.finished("alice@example.com", "192.0.2.2");
        fail(a, "bob@example.com", "192.0.2.1");
        assertThat(b.begin("carol@example.com", "192.0.2.1")).as("the address's fifth failure")
                .contains(Duration.ofSeconds(1));
    }

    @Test
    void attemptsInFlightOnEveryReplicaCountTowardsTheThreshold() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        int started = 0;
        for (int i = 0; i < 20; i++) {
            if ((i % 2 == 0 ? a : b).begin("alice@example.com", "192.0.2." + i).isEmpty()) {
                started++;
            }
        }
        assertThat(started).isEqualTo(MemoryLoginThrottle.THRESHOLD);

        a.finished("alice@example.com", "192.0.2.0");
        assertThat(b.begin("alice@example.com", "192.0.2.50")).as("one ended, one more may start").isEmpty();
        assertThat(a.begin("alice@example.com", "192.0.2.51")).contains(Duration.ofSeconds(1));
    }

    @Test
    void racingAttemptsOnBothReplicasCannotGetPastTheThreshold() throws Exception {
        LoginThrottle[] replicas = {onReplicaA(), onReplicaB()};
        for (LoginThrottle replica : replicas) {
            // Connected and warm before the race, so that the race is about the server, not about connecting.
            answer(replica.finished("warm-up@example.com", "192.0.2.200"));
        }
        List<Supplier<CompletionStage<Optional<Duration>>>> attempts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LoginThrottle replica = replicas[i % 2];
            String address = "192.0.2." + i;
            attempts.add(() -> replica.begin("alice@example.com", address));
        }
        long started = SimultaneousCalls.answers(attempts).stream().filter(Optional::isEmpty).count();
        assertThat(started).isEqualTo(MemoryLoginThrottle.THRESHOLD);
    }

    @Test
    void anAttemptNeverEndedStopsCountingAfterItsLifetime() throws Exception {
        Replica a = new Replica(onReplicaA());
        Replica b = new Replica(onReplicaB());
        for (int i = 0; i < 4; i++) {
            fail(a, "alice@example.com", "192.0.2.1");
        }
        assertThat(a.begin("alice@example.com", "192.0.2.1")).as("a replica that then stopped").isEmpty();
        assertThat(b.begin("alice@example.com", "192.0.2.2")).contains(Duration.ofSeconds(1));

        clock.advance(inFlightLifetime());
        assertThat(b.begin("alice@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void whileTheServerIsStoppedEveryStepFailsWithStoreUnavailableAndItWorksOnceItIsBack() throws Exception {
        LoginThrottle throttle = withCommandTimeout(Duration.ofMillis(500));
        assertThat(answer(throttle.begin("alice@example.com", "192.0.2.1"))).isEmpty();

        server().stop();
        try {
            assertThat(unavailable(throttle.begin("alice@example.com", "192.0.2.1")).getMessage())
                    .doesNotContain("alice@example.com");
            unavailable(throttle.failed("alice@example.com", "192.0.2.1"));
            unavailable(throttle.succeeded("alice@example.com", "192.0.2.1"));
            unavailable(throttle.finished("alice@example.com", "192.0.2.1"));
        } finally {
            server().startAgain();
        }
        eventually("begins again after the server restarted", Duration.ofSeconds(15), () -> {
            try {
                return throttle.begin("alice@example.com", "192.0.2.1").toCompletableFuture().get().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** An attempt for {@code email} from {@code address} that begins (is not throttled) and fails. */
    protected static void fail(Replica replica, String email, String address) throws Exception {
        assertThat(replica.begin(email, address)).as("attempt for %s from %s", email, address).isEmpty();
        replica.failed(email, address);
    }

    /** A replica's throttle, whose answers the test waits for. */
    public record Replica(LoginThrottle throttle) {
        public Optional<Duration> begin(String email, String address) throws Exception {
            return answer(throttle.begin(email, address));
        }

        public void failed(String email, String address) throws Exception {
            answer(throttle.failed(email, address));
        }

        public void succeeded(String email, String address) throws Exception {
            answer(throttle.succeeded(email, address));
        }

        public void finished(String email, String address) throws Exception {
            answer(throttle.finished(email, address));
        }
    }
}
