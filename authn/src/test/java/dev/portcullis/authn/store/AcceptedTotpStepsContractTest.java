package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.AcceptedTotpSteps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The contract of shared {@link AcceptedTotpSteps}, run against a real server by each store's subclass: replicas with
 * connections of their own accept TOTP steps in one store, and
 * <ul>
 *   <li>a step accepted for a user on one replica is refused on every replica (no replay); only a later step is
 *       accepted after it, and when replicas race with the same step exactly one accepts it;</li>
 *   <li>a step is forgotten at its {@code forgetAfter} (at once when that has passed);</li>
 *   <li>while the server is stopped, accepting fails with {@link StoreUnavailable} (without the user), and the same
 *       store accepts again once the server is back.</li>
 * </ul>
 * How steps are kept (keys, rows) is each subclass's own.
 */
public abstract class AcceptedTotpStepsContractTest {
    /** A step of today, as {@code Totp} counts them (30 s each). */
    protected static final long STEP = Instant.now().getEpochSecond() / 30;

    /** The store under test on replica A: a connection of its own to the server the replicas share. */
    protected abstract AcceptedTotpSteps onReplicaA();

    /** The same store on replica B, with another connection. */
    protected abstract AcceptedTotpSteps onReplicaB();

    /** The same store on a connection of its own with {@code commandTimeout}; the subclass closes it after the test. */
    protected abstract AcceptedTotpSteps withCommandTimeout(Duration commandTimeout);

    /** The server the replicas share, which the tests stop and start again. */
    protected abstract TestServer server();

    @Test
    void aCodeAcceptedOnOneReplicaCannotBeReplayedOnTheOther() throws Exception {
        AcceptedTotpSteps a = onReplicaA();
        AcceptedTotpSteps b = onReplicaB();
        Instant until = inNinetySeconds();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP, until))).as("replayed on the other replica").isFalse();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).as("replayed on the same replica").isFalse();
        assertThat(answer(b.acceptLater("alice@example.com", STEP, until))).as("another user").isTrue();
    }

    @Test
    void onlyALaterStepIsAcceptedAndAnOlderOneIsRefused() throws Exception {
        AcceptedTotpSteps a = onReplicaA();
        AcceptedTotpSteps b = onReplicaB();
        Instant until = inNinetySeconds();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP - 1, until))).as("an older step").isFalse();
        assertThat(answer(b.acceptLater("bob@example.com", STEP + 1, until.plusSeconds(30)))).as("later").isTrue();
        assertThat(answer(a.acceptLater("bob@example.com", STEP, until))).as("older than the latest").isFalse();
        assertThat(answer(a.acceptLater("bob@example.com", STEP + 1, until.plusSeconds(30)))).isFalse();
    }

    @Test
    void whenReplicasRaceWithTheSameCodeExactlyOneIsAccepted() throws Exception {
        Instant until = inNinetySeconds();
        AcceptedTotpSteps[] replicas = {onReplicaA(), onReplicaB()};
        for (AcceptedTotpSteps replica : replicas) {
            // Connected and warm before the race, so that the race is about the server, not about connecting.
            assertThat(answer(replica.acceptLater("warm-up-" + replica.hashCode(), STEP, until))).isTrue();
        }
        int users = 100;
        int racers = 8;
        List<Supplier<CompletionStage<Boolean>>> accepts = new ArrayList<>();
        for (int user = 0; user < users; user++) {
            for (int racer = 0; racer < racers; racer++) {
                AcceptedTotpSteps replica = replicas[racer % 2];
                String name = "user" + user + "@example.com";
                accepts.add(() -> replica.acceptLater(name, STEP, until));
            }
        }
        List<Boolean> accepted = SimultaneousCalls.answers(accepts);
        for (int user = 0; user < users; user++) {
            assertThat(accepted.subList(user * racers, (user + 1) * racers)).as("accepted for user%d", user)
                    .containsOnlyOnce(true);
        }
    }

    @Test
    void aStepIsForgottenAtItsForgetAfter() throws Exception {
        AcceptedTotpSteps a = onReplicaA();
        AcceptedTotpSteps b = onReplicaB();
        // Long enough for the next call to come before it, on a busy machine too.
        Instant soon = Instant.now().plusSeconds(2);
        assertThat(answer(a.acceptLater("bob@example.com", STEP, soon))).isTrue();
        assertThat(answer(b.acceptLater("bob@example.com", STEP, inNinetySeconds()))).as("before").isFalse();
        // A step refused changes nothing, so asking again and again is no different from asking once forgotten.
        eventually("the step is accepted again once forgotten", Duration.ofSeconds(10),
                () -> answerQuietly(b.acceptLater("bob@example.com", STEP, inNinetySeconds())));

        assertThat(answer(a.acceptLater("carol@example.com", STEP, Instant.now().minusSeconds(1))))
                .as("a forgetAfter that has passed").isTrue();
        assertThat(answer(b.acceptLater("carol@example.com", STEP, inNinetySeconds()))).as("forgotten at once").isTrue();
    }

    @Test
    void whileTheServerIsStoppedAcceptingFailsWithStoreUnavailableAndWorksOnceItIsBack() throws Exception {
        AcceptedTotpSteps steps = withCommandTimeout(Duration.ofMillis(500));
        assertThat(answer(steps.acceptLater("bob@example.com", STEP, inNinetySeconds()))).isTrue();

        server().stop();
        try {
            assertThat(unavailable(steps.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())).getMessage())
                    .doesNotContain("bob@example.com");
        } finally {
            server().startAgain();
        }
        eventually("accepts again after the server restarted", Duration.ofSeconds(15),
                () -> answerQuietly(steps.acceptLater("bob@example.com", STEP + 1, inNinetySeconds())));
        assertThat(answer(onReplicaB().acceptLater("bob@example.com", STEP + 1, inNinetySeconds())))
                .as("and the other replica saw it").isFalse();
    }

    /** Ninety seconds from now: a {@code forgetAfter} no test waits for. */
    protected static Instant inNinetySeconds() {
        return Instant.now().plusSeconds(90);
    }

    private static boolean answerQuietly(CompletionStage<Boolean> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (Exception e) {
            return false;
        }
    }
}
