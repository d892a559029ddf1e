package dev.portcullis.authn.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sessions that must stop working before their cookie expires: one session after sign-out, or every
 * session of a user or of a provider session after OpenID Connect Back-Channel Logout (by
 * {@code sub} or {@code sid}).
 *
 * <p>A sealed cookie cannot be recalled from the browser that holds it (or from a copy of it), so
 * the proxy remembers what it revoked until the cookie would have expired anyway. Every answer is a
 * {@code CompletionStage}, so no implementation blocks the event loop that asks (a remote one keeps
 * a local view, or asks over the network asynchronously). A stage completed exceptionally means the
 * store could not answer: callers fail closed (a session whose revocation cannot be checked is not
 * served; a sign-out that cannot be recorded is not reported as done).
 */
public interface RevocationStore {

    /**
     * Revokes one session until {@code until}, usually the session's expiresAt. Revoking it again
     * keeps the later of the two times.
     */
    CompletionStage<Void> revoke(String sessionId, Instant until);

    /** Whether the session id was revoked and the revocation still holds at {@code now}. */
    CompletionStage<Boolean> isRevoked(String sessionId, Instant now);

    /**
     * Revokes every session of {@code userId} issued before {@code issuedBefore}, until
     * {@code until}; pass {@code issuedBefore} plus the longest session lifetime
     * ({@code cookie_expire}) as {@code until}, since no such session outlives it. Revoking a user
     * again keeps the later of each time, which may revoke more, never less.
     */
    CompletionStage<Void> revokeUser(String userId, Instant issuedBefore, Instant until);

    /**
     * Whether sessions of {@code userId} issued at {@code issuedAt} were revoked and the revocation
     * still holds at {@code now}.
     */
    CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now);

    /**
     * Revokes every session that came from the provider's session {@code providerSessionId} (the
     * {@code sid} of a back-channel logout token), until {@code until}. Provider session ids live in
     * their own name space, so they can never match one of the proxy's session ids.
     */
    default CompletionStage<Void> revokeProviderSession(String providerSessionId, Instant until) {
        return revoke(PROVIDER_SESSION_PREFIX + providerSessionId, until);
    }

    /** Whether {@code session} is revoked at {@code now}: by its id, its provider session, or for its whole user. */
    default CompletionStage<Boolean> isRevoked(Session session, Instant now) {
        CompletionStage<Boolean> byProvider = session.providerSessionId()
                .map(p -> isRevoked(PROVIDER_SESSION_PREFIX + p, now))
                .orElse(CompletableFuture.completedFuture(false));
        return isRevoked(session.sessionId(), now)
                .thenCombine(byProvider, Boolean::logicalOr)
                .thenCombine(isUserRevoked(session.userId(), session.issuedAt(), now), Boolean::logicalOr);
    }

    /** Keeps provider session ids apart from the proxy's own (which are base64url, without {@code :}). */
    String PROVIDER_SESSION_PREFIX = "provider:";
}
