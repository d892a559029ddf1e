package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * Who an assertion speaks for: the parts of a session that the upstream receives.
 *
 * @param sessionId        the session id ({@code sid}); with the route host, the cache key
 * @param userId           the identity provider's subject ({@code sub} and {@code user})
 * @param email            the e-mail address, or {@code null} when the provider gave none
 * @param name             the display name, or {@code null} when the provider gave none
 * @param groups           the groups, never {@code null} (copied; no {@code null} elements)
 * @param sessionExpiresAt when the session ends; no assertion outlives it
 */
public record AssertionSubject(
        String sessionId, String userId, String email, String name, List<String> groups, Instant sessionExpiresAt) {

    public AssertionSubject {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(userId, "userId");
        groups = List.copyOf(requireNonNull(groups, "groups"));
        requireNonNull(sessionExpiresAt, "sessionExpiresAt");
    }
}
