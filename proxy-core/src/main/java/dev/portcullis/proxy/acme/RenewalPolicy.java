package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is renewed: when a third of its lifetime is left, but no earlier than
 * {@code ahead} (30 days) before it expires. A 90-day certificate is renewed 30 days before it
 * expires, a one-year one also 30 days before, and a short-lived one (Pebble's, or a 6-day one) at
 * two thirds of its lifetime.
 */
public record RenewalPolicy(Duration ahead) {
    /** 30 days ahead, the rule Let's Encrypt recommends for 90-day certificates. */
    public static final RenewalPolicy DEFAULT = new RenewalPolicy(Duration.ofDays(30));

    public RenewalPolicy {
        requireNonNull(ahead, "ahead");
        if (ahead.isNegative() || ahead.isZero()) {
            throw new IllegalArgumentException("ahead: " + ahead + " (expected: > 0)");
        }
    }

    /** The instant at which a certificate valid from {@code notBefore} to {@code notAfter} is renewed. */
    public Instant renewAt(Instant notBefore, Instant notAfter) {
        Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
        Duration before = third.compareTo(ahead) < 0 ? third : ahead;
        return notAfter.minus(before.isNegative() ? Duration.ZERO : before);
    }

    public Instant renewAt(IssuedCertificate certificate) {
        return renewAt(certificate.notBefore(), certificate.notAfter());
    }
}
