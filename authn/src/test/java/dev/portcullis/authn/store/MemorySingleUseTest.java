package dev.portcullis.authn.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemorySingleUseTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    @Test
    void theFirstClaimWinsUntilTheIdExpires() {
        MemorySingleUse claims = new MemorySingleUse(clock, 100);
        assertThat(claims.claim("a", NOW.plusSeconds(60))).isCompletedWithValue(true);
        assertThat(claims.claim("a", NOW.plusSeconds(60))).isCompletedWithValue(false);
        assertThat(claims.claim("b", NOW.plusSeconds(60))).as("another id").isCompletedWithValue(true);

        now.set(NOW.plusSeconds(59));
        assertThat(claims.claim("a", NOW.plusSeconds(120))).as("still remembered").isCompletedWithValue(false);
        now.set(NOW.plusSeconds(60));
        assertThat(claims.claim("a", NOW.plusSeconds(120))).as("expired: what it named is refused anyway")
                .isCompletedWithValue(true);
    }

    @Test
    void whenFullOfLiveIdsAClaimIsRefusedRatherThanAnIdForgotten() {
        MemorySingleUse claims = new MemorySingleUse(clock, 3);
        for (String id : new String[] {"a", "b", "c"}) {
            assertThat(claims.claim(id, NOW.plusSeconds(60))).isCompletedWithValue(true);
        }
        assertThat(claims.claim("d", NOW.plusSeconds(60))).isCompletedWithValue(false);
        assertThat(claims.claim("a", NOW.plusSeconds(60))).isCompletedWithValue(false);
        assertThat(claims.size()).isEqualTo(3);
    }

    @Test
    void expiredIdsAreSweptOnceThereAreMany() {
        MemorySingleUse claims = new MemorySingleUse(clock, 10_000);
        for (int i = 0; i < 2000; i++) {
            claims.claim("id-" + i, NOW.plusSeconds(1));
        }
        now.set(NOW.plusSeconds(2));
        claims.claim("fresh", NOW.plusSeconds(60));
        assertThat(claims.size()).isEqualTo(1);
    }
}
