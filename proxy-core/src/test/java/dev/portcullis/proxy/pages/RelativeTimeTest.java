package dev.portcullis.proxy.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RelativeTimeTest {
    private static final Instant NOW = Instant.parse("2025-03-01T08:40:00Z");

    private static String in(Duration d) {
        return RelativeTime.describe(NOW.plus(d), NOW);
    }

    @Test
    void theFutureReadsIn() {
        assertThat(in(Duration.ofHours(13).plusMinutes(20))).isEqualTo("in 13 h 20 min");
        assertThat(in(Duration.ofHours(14))).isEqualTo("in 14 h");
        assertThat(in(Duration.ofMinutes(5).plusSeconds(59))).isEqualTo("in 5 min");
        assertThat(in(Duration.ofDays(2).plusHours(3).plusMinutes(7))).isEqualTo("in 2 d 3 h");
        assertThat(in(Duration.ofDays(1))).isEqualTo("in 1 d");
        assertThat(in(Duration.ofSeconds(30))).isEqualTo("in less than a minute");
        assertThat(in(Duration.ZERO)).isEqualTo("in less than a minute");
    }

    @Test
    void thePastReadsAgo() {
        assertThat(in(Duration.ofMinutes(-40))).isEqualTo("40 min ago");
        assertThat(in(Duration.ofHours(-1).minusMinutes(1))).isEqualTo("1 h 1 min ago");
        assertThat(in(Duration.ofSeconds(-10))).isEqualTo("less than a minute ago");
    }
}
