package dev.portcullis.proxy.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a session's provider tokens are renewed: a little before they expire (a quarter of their
 * lifetime, at most a minute), so that a request never waits on a token that has just run out.
 */
final class RefreshSchedule {
    static final Duration MAX_LEAD = Duration.ofMinutes(1);
    /** After the provider could not be reached, the session is kept and renewal tried again this much later. */
    static final Duration RETRY_AFTER_UNAVAILABLE = Duration.ofSeconds(30);

    private RefreshSchedule() {}

    static Optional<Instant> dueAt(Instant now, Optional<Instant> tokensExpireAt, Optional<String> refreshToken) {
        if (refreshToken.isEmpty() || tokensExpireAt.isEmpty()) {
            return Optional.empty();
        }
        Duration lifetime = Duration.between(now, tokensExpireAt.get());
        if (lifetime.isNegative() || lifetime.isZero()) {
            return Optional.of(now);
        }
        Duration lead = lifetime.dividedBy(4);
        return Optional.of(tokensExpireAt.get().minus(lead.compareTo(MAX_LEAD) > 0 ? MAX_LEAD : lead));
    }
}
