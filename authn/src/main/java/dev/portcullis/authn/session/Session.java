package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.portcullis.policy.Identity;

/**
 * A signed-in user's session, as sealed into the session cookie.
 *
 * <p>Times are kept to whole seconds (they travel as epoch seconds), so a session survives a
 * seal/unseal round trip unchanged and {@link #equals} holds. {@code groups} is never null, and
 * {@code claims} (the claims policies use) is a deep, unmodifiable copy holding only JSON values:
 * strings, numbers, booleans, null, lists and maps with string keys.
 *
 * <p>{@link #toString()} never prints the ID, access or refresh token, nor claim values.
 *
 * @param sessionId    128 random bits, base64url without padding ({@link #newSessionId})
 * @param userId       the identity provider's subject ({@code sub})
 * @param email        the user's email, or null when the provider gave none
 * @param name         the user's display name, or null
 * @param groups       group names or ids, never null
 * @param claims       further claims for policies, never null
 * @param issuedAt     when the session was made
 * @param expiresAt    when it stops being valid ({@code cookie_expire} after sign-in, by default)
 * @param idToken      the provider's ID token, kept as {@code id_token_hint} for sign-out
 * @param refreshToken the provider's refresh token, when it gave one
 * @param refreshDueAt when the provider's tokens should be renewed (shortly before they expire), when
 *                     there is a refresh token to renew them with
 * @param providerSessionId the provider's session id ({@code sid} of the ID token), which
 *                     back-channel logout names
 * @param accessToken  the provider's access token, for {@code ${pomerium.access_token}} in a route's
 *                     {@code set_request_headers}; kept only while some route needs it
 * @param idpClientId  the OAuth client the user signed in through, when it was a route's own
 *                     ({@code idp_client_id} on a route); empty for the top-level client. Only routes of
 *                     that client accept the session, as Pomerium keys sessions by identity provider
 */
public record Session(
        String sessionId,
        String userId,
        String email,
        String name,
        List<String> groups,
        Map<String, Object> claims,
        Instant issuedAt,
        Instant expiresAt,
        Optional<String> idToken,
        Optional<String> refreshToken,
        Optional<Instant> refreshDueAt,
        Optional<String> providerSessionId,
        Optional<String> accessToken,
        Optional<String> idpClientId) {

    private static final int SESSION_ID_BYTES = 16;

    /** Checks every part and makes the collections immutable; see the class documentation. */
    public Session {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(userId, "userId");
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId: blank (expected: a random id)");
        }
        if (userId.isBlank()) {
            throw new IllegalArgumentException("userId: blank (expected: the provider's subject)");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        claims = claims == null ? Map.of() : JsonValues.immutableObject(claims);
        issuedAt = requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
        expiresAt = requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.SECONDS);
        if (expiresAt.isBefore(issuedAt)) {
            throw new IllegalArgumentException(
                    "expiresAt: " + expiresAt + " (expected: not before issuedAt " + issuedAt + ")");
        }
        idToken = idToken == null ? Optional.empty() : idToken;
        refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
        refreshDueAt = refreshDueAt == null ? Optional.empty() : refreshDueAt.map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        providerSessionId = providerSessionId == null ? Optional.empty() : providerSessionId;
        accessToken = accessToken == null ? Optional.empty() : accessToken;
        idpClientId = idpClientId == null ? Optional.empty() : idpClientId;
    }

    /** A session made through the top-level OAuth client. */
    public Session(String sessionId, String userId, String email, String name, List<String> groups,
            Map<String, Object> claims, Instant issuedAt, Instant expiresAt, Optional<String> idToken,
            Optional<String> refreshToken, Optional<Instant> refreshDueAt, Optional<String> providerSessionId,
            Optional<String> accessToken) {
        this(sessionId, userId, email, name, groups, claims, issuedAt, expiresAt, idToken, refreshToken,
                refreshDueAt, providerSessionId, accessToken, Optional.empty());
    }

    /** A session without an access token. */
    public Session(String sessionId, String userId, String email, String name, List<String> groups,
            Map<String, Object> claims, Instant issuedAt, Instant expiresAt, Optional<String> idToken,
            Optional<String> refreshToken, Optional<Instant> refreshDueAt, Optional<String> providerSessionId) {
        this(sessionId, userId, email, name, groups, claims, issuedAt, expiresAt, idToken, refreshToken,
                refreshDueAt, providerSessionId, Optional.empty());
    }

    /** A session without a refresh schedule or provider session id. */
    public Session(String sessionId, String userId, String email, String name, List<String> groups,
            Map<String, Object> claims, Instant issuedAt, Instant expiresAt, Optional<String> idToken,
            Optional<String> refreshToken) {
        this(sessionId, userId, email, name, groups, claims, issuedAt, expiresAt, idToken, refreshToken,
                Optional.empty(), Optional.empty());
    }

    /** The identity policies evaluate. */
    public Identity identity() {
        return new Identity(userId, email, groups, claims);
    }

    /** Whether the provider's tokens are due for renewal at {@code now} and can be renewed. */
    public boolean isRefreshDueAt(Instant now) {
        return refreshToken.isPresent() && refreshDueAt.isPresent() && !now.isBefore(refreshDueAt.get());
    }

    /**
     * This session keeping its ID token and its access token only as asked: a cookie carries no token that
     * nothing will read (they are large, and bearer credentials).
     */
    public Session keepingTokens(boolean keepIdToken, boolean keepAccessToken) {
        if ((keepIdToken || idToken.isEmpty()) && (keepAccessToken || accessToken.isEmpty())) {
            return this;
        }
        return new Session(sessionId, userId, email, name, groups, claims, issuedAt, expiresAt,
                keepIdToken ? idToken : Optional.empty(), refreshToken, refreshDueAt, providerSessionId,
                keepAccessToken ? accessToken : Optional.empty(), idpClientId);
    }

    /** A new session id: 128 bits from {@code random}, base64url without padding (22 characters). */
    public static String newSessionId(SecureRandom random) {
        byte[] bytes = new byte[SESSION_ID_BYTES];
        requireNonNull(random, "random").nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether the session has expired at {@code now} (it is valid up to, not including, expiresAt). */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Shows who and when, never the tokens nor claim values (they may be bearer credentials). */
    @Override
    public String toString() {
        return "Session[sessionId=" + sessionId + ", userId=" + userId + ", email=" + email
                + ", name=" + name + ", groups=" + groups.size() + ", claims=" + claims.keySet()
                + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt
                + ", idToken=" + (idToken.isPresent() ? "present" : "absent")
                + ", refreshToken=" + (refreshToken.isPresent() ? "present" : "absent")
                + ", accessToken=" + (accessToken.isPresent() ? "present" : "absent")
                + ", refreshDueAt=" + refreshDueAt.map(Instant::toString).orElse("none")
                + ", idpClientId=" + idpClientId.orElse("top-level") + "]";
    }
}
