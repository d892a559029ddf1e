package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The contract of a shared {@link SingleUse}, run against a real server by each store's subclass: replicas with
 * connections of their own claim ids in one store, and
 * <ul>
 *   <li>an id is claimed once, on whichever replica, until it expires; racing replicas give each id one winner;</li>
 *   <li>an expired id counts as absent (an expiry already passed, the epoch included, is claimed and forgotten at
 *       once);</li>
 *   <li>another deployment on the same server has ids of its own.</li>
 * </ul>
 * How ids are kept (keys, rows), and what a store refuses as a prefix or scope, is each subclass's own.
 */
public abstract class SingleUseContractTest {

    /** The store under test on replica A: a connection of its own to the server the replicas share. */
    protected abstract SingleUse onReplicaA();

    /** The same store on replica B, with another connection. */
    protected abstract SingleUse onReplicaB();

    /** The same store of another deployment on the same server (another key or table prefix). */
    protected abstract SingleUse ofAnotherDeployment();

    @Test
    void anIdClaimedOnOneReplicaIsRefusedByTheOther() throws Exception {
        SingleUse a = onReplicaA();
        SingleUse b = onReplicaB();
        Instant inAMinute = Instant.now().plusSeconds(60);

        assertThat(answer(a.claim("h1", inAMinute))).isTrue();
        assertThat(answer(b.claim("h1", inAMinute))).as("the other replica").isFalse();
        assertThat(answer(a.claim("h1", inAMinute))).as("the same replica again").isFalse();
        assertThat(answer(b.claim("h2", inAMinute))).as("another id").isTrue();
    }

    @Test
    void whenBothReplicasRaceForManyIdsEachIdHasExactlyOneWinner() throws Exception {
        SingleUse[] replicas = {onReplicaA(), onReplicaB()};
        Instant inAMinute = Instant.now().plusSeconds(60);
        for (SingleUse replica : replicas) {
            // Connected and warm before the race, so that the race is about the server, not about connecting.
            assertThat(answer(replica.claim("warm-up-" + replica.hashCode(), inAMinute))).isTrue();
        }
        int ids = 200;
        int claimsPerId = 8;
        List<Supplier<CompletionStage<Boolean>>> claims = new ArrayList<>();
        for (int id = 0; id < ids; id++) {
            for (int claim = 0; claim < claimsPerId; claim++) {
                SingleUse replica = replicas[claim % 2];
                String key = "race-" + id;
                claims.add(() -> replica.claim(key, inAMinute));
            }
        }
        List<Boolean> won = SimultaneousCalls.answers(claims);
        for (int id = 0; id < ids; id++) {
            assertThat(won.subList(id * claimsPerId, (id + 1) * claimsPerId)).as("winners of race-%d", id)
                    .containsOnlyOnce(true);
        }
    }

    @Test
    void anExpiredIdCountsAsAbsentAndIsClaimedAgain() throws Exception {
        SingleUse a = onReplicaA();
        SingleUse b = onReplicaB();

        // Long enough for the next call to come before it, on a busy machine too.
        Instant soon = Instant.now().plusSeconds(2);
        assertThat(answer(a.claim("short", soon))).isTrue();
        assertThat(answer(b.claim("short", Instant.now().plusSeconds(60)))).as("before it expires").isFalse();
        // A claim that loses changes nothing, so asking again and again is no different from asking once it expired.
        eventually("the expired id can be claimed again", Duration.ofSeconds(10),
                () -> claimQuietly(b, "short", Instant.now().plusSeconds(60)));
        assertThat(answer(a.claim("short", Instant.now().plusSeconds(60)))).as("and then remembered").isFalse();

        assertThat(answer(a.claim("past", Instant.now().minusSeconds(1)))).as("an expiry that has passed").isTrue();
        assertThat(answer(b.claim("past", Instant.now().plusSeconds(60)))).as("absent at once").isTrue();
        assertThat(answer(a.claim("epoch", Instant.EPOCH))).as("the epoch has passed too").isTrue();
    }

    @Test
    void anotherDeploymentOnTheSameServerHasIdsOfItsOwn() throws Exception {
        SingleUse first = onReplicaA();
        SingleUse second = ofAnotherDeployment();
        Instant inAMinute = Instant.now().plusSeconds(60);

        assertThat(answer(first.claim("same-id", inAMinute))).isTrue();
        assertThat(answer(second.claim("same-id", inAMinute))).as("the other deployment's own first claim").isTrue();
        assertThat(answer(second.claim("same-id", inAMinute))).isFalse();
        assertThat(answer(first.claim("same-id", inAMinute))).isFalse();
    }

    private static boolean claimQuietly(SingleUse store, String id, Instant expiresAt) {
        try {
            return answer(store.claim(id, expiresAt));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
