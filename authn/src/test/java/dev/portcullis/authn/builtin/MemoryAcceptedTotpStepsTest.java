package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.testing.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemoryAcceptedTotpStepsTest {
    private final StoppedClock clock = new StoppedClock(Instant.parse("2026-01-31T09:00:00Z"));
    private final MemoryAcceptedTotpSteps steps = new MemoryAcceptedTotpSteps(clock);

    @Test
    void onlyALaterStepThanTheLastAcceptedIsAcceptedPerUser() {
        Instant until = clock.instant().plusSeconds(90);
        assertThat(steps.acceptLater("bob", 100, until)).isCompletedWithValue(true);
        assertThat(steps.acceptLater("bob", 100, until)).as("replayed").isCompletedWithValue(false);
        assertThat(steps.acceptLater("bob", 99, until)).as("earlier").isCompletedWithValue(false);
        assertThat(steps.acceptLater("alice", 100, until)).as("another user").isCompletedWithValue(true);
        assertThat(steps.acceptLater("bob", 101, until.plusSeconds(30))).isCompletedWithValue(true);
    }

    @Test
    void aStepIsForgottenOnlyWhenItsCodesAreNoLongerAcceptedAnyway() {
        long step = Math.floorDiv(clock.instant().getEpochSecond(), Totp.STEP_SECONDS);
        Instant until = Totp.acceptedUntil(step);
        assertThat(until).isEqualTo(Instant.ofEpochSecond((step + 2) * Totp.STEP_SECONDS));
        assertThat(steps.acceptLater("bob", step, until)).isCompletedWithValue(true);

        clock.advance(Duration.between(clock.instant(), until).minusSeconds(1));
        assertThat(steps.acceptLater("bob", step, until)).isCompletedWithValue(false);
    }
}
