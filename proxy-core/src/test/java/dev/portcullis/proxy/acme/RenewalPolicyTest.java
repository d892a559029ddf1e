package dev.portcullis.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aNinetyDayCertificateIsRenewedThirtyDaysBeforeItExpires() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(90));
        assertThat(RenewalPolicy.DEFAULT.renewAt(ISSUED, notAfter)).isEqualTo(notAfter.minus(Duration.ofDays(30)));
    }

    @Test
    void aLongLivedCertificateIsAlsoRenewedThirtyDaysBeforeItExpires() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(365));
        assertThat(RenewalPolicy.DEFAULT.renewAt(ISSUED, notAfter)).isEqualTo(notAfter.minus(Duration.ofDays(30)));
    }

    @Test
    void aShortLivedCertificateIsRenewedAtTwoThirdsOfItsLifetime() {
        assertThat(RenewalPolicy.DEFAULT.renewAt(ISSUED, ISSUED.plus(Duration.ofDays(6))))
                .isEqualTo(ISSUED.plus(Duration.ofDays(4)));
        assertThat(RenewalPolicy.DEFAULT.renewAt(ISSUED, ISSUED.plusSeconds(6))).isEqualTo(ISSUED.plusSeconds(4));
    }

    @Test
    void rejectsANonPositiveMargin() {
        assertThatThrownBy(() -> new RenewalPolicy(Duration.ZERO)).hasMessage("ahead: PT0S (expected: > 0)");
    }
}
