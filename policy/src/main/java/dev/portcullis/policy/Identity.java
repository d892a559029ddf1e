package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is signed in, as the session knows them.
 *
 * @param userId the identity provider's user id ({@code sub}); never null
 * @param email  the email address, or null when the identity provider gave none
 * @param groups group ids or names; empty when unknown
 * @param claims the identity provider's claims as decoded from a JWT: strings, numbers, booleans, and
 *               nested maps and lists
 */
public record Identity(String userId, String email, List<String> groups, Map<String, Object> claims) {
    public Identity {
        requireNonNull(userId, "userId");
        groups = groups == null ? List.of() : List.copyOf(groups);
        // Claims may hold JSON nulls, which Map.copyOf refuses.
        claims = claims == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    /** A person with a user id and email only. */
    public static Identity of(String userId, String email) {
        return new Identity(userId, email, List.of(), Map.of());
    }
}
