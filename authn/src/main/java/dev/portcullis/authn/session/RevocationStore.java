package dev.portcullis.authn.session;

import java.time.Instant;

/**
 * Sessions that must stop working before their cookie expires: one session after sign-out, or every
 * session of a user or of a provider session after OpenID Connect Back-Channel Logout (by
 * {@code sub} or {@code sid}).
 *
 * <p>A sealed cookie cannot be recalled from the browser that holds it (or from a copy of it), so
 * the proxy remembers what it revoked until the cookie would have expired anyway. The reads are
 * called for every request on the event loop: implementations answer them without blocking (a
 * remote implementation keeps a local view and refreshes it asynchronously).
 */
public interface RevocationStore {

    /**
     * Revokes one session until {@code until}, usually the session's expiresAt. Revoking it again
     * keeps the later of the two times.
     */
    void revoke(String sessionId, Instant until);

    /** Whether the session id was revoked and the revocation still holds at {@code now}. */
    boolean isRevoked(String sessionId, Instant now);

    /**
     * Revokes every session of {@code userId} issued before {@code issuedBefore}, until
     * {@code until}; pass {@code issuedBefore} plus the longest session lifetime
     * ({@code cookie_expire}) as {@code until}, since no such session outlives it. Revoking a user
     * again keeps the later of each time, which may revoke more, never less.
     */
    void revokeUser(String userId, Instant issuedBefore, Instant until);

    /**
     * Whether sessions of {@code userId} issued at {@code issuedAt} were revoked and the revocation
     * still holds at {@code now}.
     */
    boolean isUserRevoked(String userId, Instant issuedAt, Instant now);

    /**
     * Revokes every session that came from the provider's session {@code providerSessionId} (the
     * {@code sid} of a back-channel logout token), until {@code until}. Provider session ids live in
     * their own name space, so they can never match one of the proxy's session ids.
     */
    default void revokeProviderSession(String providerSessionId, Instant until) {
        revoke(PROVIDER_SESSION_PREFIX + providerSessionId, until);
    }

    /** Whether {@code session} is revoked at {@code now}: by its id, its provider session, or for its whole user. */
    default boolean isRevoked(Session session, Instant now) {
        return isRevoked(session.sessionId(), now)
                || session.providerSessionId().map(p -> isRevoked(PROVIDER_SESSION_PREFIX + p, now)).orElse(false)
                || isUserRevoked(session.userId(), session.issuedAt(), now);
    }

    /** Keeps provider session ids apart from the proxy's own (which are base64url, without {@code :}). */
    String PROVIDER_SESSION_PREFIX = "provider:";
}
