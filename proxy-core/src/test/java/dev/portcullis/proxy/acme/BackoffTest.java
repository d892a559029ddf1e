package dev.portcullis.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromOneMinuteToSixHours() {
        Backoff backoff = Backoff.DEFAULT;
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(backoff.delay(9)).isEqualTo(Duration.ofMinutes(256));
        assertThat(backoff.delay(10)).isEqualTo(Duration.ofHours(6));
        assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void checksItsArguments() {
        assertThatThrownBy(() -> Backoff.DEFAULT.delay(0)).hasMessage("failures: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .hasMessage("longest: PT1M (expected: >= first, PT2M)");
    }
}
