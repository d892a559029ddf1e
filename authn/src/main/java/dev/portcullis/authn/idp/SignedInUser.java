package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who signed in, as the provider told it. {@code claims} holds every claim of the ID token and
 * userinfo except JWT mechanics ({@code iss aud exp iat nbf nonce at_hash c_hash azp jti}), as plain
 * JSON values only (String, Number, Boolean, null, List, Map). {@link #toString()} prints neither
 * tokens nor claim values.
 *
 * @param userId            the provider's stable user id ({@code sub}; GitHub's numeric id)
 * @param email             the user's email, or null
 * @param name              the display name, or null
 * @param groups            group ids or names, never null
 * @param claims            the identity claims as plain JSON
 * @param idToken           the raw ID token, kept for {@code id_token_hint} at logout
 * @param refreshToken      the refresh token, if the provider issued one
 * @param tokensExpireAt    when the access token expires (else the ID token's {@code exp})
 * @param providerSessionId the ID token's {@code sid}, matched by back-channel logout
 * @param accessToken       the provider's access token, when it gave one
 */
public record SignedInUser(String userId, String email, String name, List<String> groups,
        Map<String, Object> claims, Optional<String> idToken, Optional<String> refreshToken,
        Optional<Instant> tokensExpireAt, Optional<String> providerSessionId, Optional<String> accessToken) {

    public SignedInUser {
        requireNonNull(userId, "userId");
        groups = List.copyOf(requireNonNull(groups, "groups"));
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(claims, "claims")));
        requireNonNull(idToken, "idToken");
        requireNonNull(refreshToken, "refreshToken");
        requireNonNull(tokensExpireAt, "tokensExpireAt");
        requireNonNull(providerSessionId, "providerSessionId");
        requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "SignedInUser[userId=" + userId + ", groups=" + groups.size() + ", claims=" + claims.keySet()
                + ", idToken=" + idToken.isPresent() + ", refreshToken=" + refreshToken.isPresent()
                + ", accessToken=" + accessToken.isPresent()
                + ", tokensExpireAt=" + tokensExpireAt.map(Instant::toString).orElse("none")
                + ", providerSession=" + providerSessionId.isPresent() + "]";
    }
}
