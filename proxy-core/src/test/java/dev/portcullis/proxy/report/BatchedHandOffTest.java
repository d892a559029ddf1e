package dev.portcullis.proxy.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What waits for the consumer of a {@link BatchedHandOff}: an item handed over with {@link BatchedHandOff#handNow}
 * is taken at once even while the consumer lingers (a metrics scrape must not wait for the linger), and after
 * {@link BatchedHandOff#close()} nothing more is taken while everything handed over before is.
 */
class BatchedHandOffTest {
    /** Far longer than any test: an item handed over while the consumer lingers stays queued until something wakes it. */
    private static final Duration FOREVER = Duration.ofMinutes(10);

    @Test
    void anItemSomeoneWaitsForIsTakenAtOnceWithEverythingBeforeIt() throws Exception {
        List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch urgent = new CountDownLatch(1);
        try (BatchedHandOff<String> handOff = new BatchedHandOff<>("test-consumer", BatchedHandOff.UNBOUNDED, FOREVER,
                batch -> {
                    batches.add(List.copyOf(batch));
                    first.countDown();
                    if (batch.contains("scrape")) {
                        urgent.countDown();
                    }
                })) {
            handOff.hand("a");
            assertThat(first.await(10, TimeUnit.SECONDS)).as("a quiet consumer takes the first item at once").isTrue();
            handOff.hand("b");
            handOff.hand("c");
            assertThat(handOff.queued()).as("items handed over while the consumer lingers wait").isEqualTo(2);

            handOff.handNow("scrape");

            assertThat(urgent.await(10, TimeUnit.SECONDS)).as("the item someone waits for ends the linger").isTrue();
            assertThat(batches).containsExactly(List.of("a"), List.of("b", "c", "scrape"));
        }
    }

    @Test
    void closingTakesWhatWasHandedOverAndRefusesTheRest() {
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        BatchedHandOff<String> handOff = new BatchedHandOff<>("test-consumer", 16, FOREVER, taken::addAll);
        for (int i = 0; i < 10; i++) {
            assertThat(handOff.hand("item " + i)).isTrue();
        }

        handOff.close();

        assertThat(handOff.closed()).isTrue();
        assertThat(taken).hasSize(10).endsWith("item 9");
        assertThat(handOff.hand("late")).as("refused once closed").isFalse();
        assertThat(handOff.handNow("late")).isFalse();
        assertThat(taken).hasSize(10);
    }

    @Test
    void aConsumerThatThrowsLosesOnlyItsBatch() throws Exception {
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch tookAfterFailure = new CountDownLatch(1);
        try (BatchedHandOff<String> handOff = new BatchedHandOff<>("test-consumer", BatchedHandOff.UNBOUNDED,
                Duration.ZERO, batch -> {
                    if (batch.contains("bad")) {
                        throw new IllegalStateException("a consumer's failure");
                    }
                    taken.addAll(batch);
                    tookAfterFailure.countDown();
                })) {
            handOff.handNow("bad");
            while (handOff.queued() > 0) {
                Thread.onSpinWait();
            }
            handOff.handNow("good");
            assertThat(tookAfterFailure.await(10, TimeUnit.SECONDS)).as("the consumer thread goes on").isTrue();
            assertThat(taken).containsExactly("good");
        }
    }
}
