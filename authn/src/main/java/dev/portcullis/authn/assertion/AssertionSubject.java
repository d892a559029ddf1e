package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who an assertion speaks for: the parts of a session that the upstream receives, in the assertion and
 * in the {@code jwt_claims_headers}.
 *
 * @param sessionId        the session id ({@code sid}); with the route host, the cache key; {@code ""} for
 *                         {@link #anonymous() no one}
 * @param userId           the identity provider's subject ({@code sub} and {@code user}); {@code ""} for no one
 * @param email            the e-mail address, {@code ""} when the provider gave none ({@code null} is read as {@code ""})
 * @param name             the display name, {@code ""} when the provider gave none ({@code null} is read as {@code ""})
 * @param groups           the groups, never {@code null} (copied; no {@code null} elements)
 * @param sessionExpiresAt when the session ends; no assertion outlives it
 * @param extraClaims      the further claims {@code jwt_claims_headers} names, as Pomerium writes them in the
 *                         assertion: text, a list's elements joined with {@code ,}; a claim the user lacks is absent
 */
public record AssertionSubject(String sessionId, String userId, String email, String name, List<String> groups,
        Instant sessionExpiresAt, Map<String, String> extraClaims) {

    /** The claims every assertion has; {@code jwt_claims_headers} cannot add them a second time. */
    static final Set<String> BASE_CLAIMS =
            Set.of("iss", "aud", "jti", "iat", "exp", "sub", "user", "email", "groups", "sid", "name");

    private static final AssertionSubject ANONYMOUS =
            new AssertionSubject("", "", "", "", List.of(), Instant.MAX, Map.of());

    public AssertionSubject {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(userId, "userId");
        email = Objects.requireNonNullElse(email, "");
        name = Objects.requireNonNullElse(name, "");
        groups = List.copyOf(requireNonNull(groups, "groups"));
        requireNonNull(sessionExpiresAt, "sessionExpiresAt");
        extraClaims = Map.copyOf(requireNonNull(extraClaims, "extraClaims"));
    }

    /** A subject without further claims. */
    public AssertionSubject(String sessionId, String userId, String email, String name, List<String> groups,
            Instant sessionExpiresAt) {
        this(sessionId, userId, email, name, groups, sessionExpiresAt, Map.of());
    }

    /**
     * The subject of {@code session}, with those of {@code claimNames} (the claims of {@code jwt_claims_headers})
     * that are not base claims and that the session has, each as Pomerium joins a claim's values: strings as they
     * are, numbers and booleans as text, a list's elements joined with {@code ,} (nested objects and nulls left out).
     */
    public static AssertionSubject of(Session session, Collection<String> claimNames) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (String claim : claimNames) {
            if (!BASE_CLAIMS.contains(claim) && session.claims().containsKey(claim)) {
                extra.put(claim, joined(session.claims().get(claim)));
            }
        }
        return new AssertionSubject(session.sessionId(), session.userId(), session.email(), session.name(),
                session.groups(), session.expiresAt(), extra);
    }

    /**
     * No one: the subject of a request without a session on a route that lets anyone in. Pomerium signs an
     * assertion for it too, with empty {@code sub}, {@code user}, {@code email}, {@code name} and {@code sid} and
     * no groups.
     */
    public static AssertionSubject anonymous() {
        return ANONYMOUS;
    }

    /**
     * The value of {@code claim} as a claim header carries it ({@code jwt_claims_headers}): the claim as the
     * assertion has it, lists joined with {@code ,}; {@code ""} when the subject lacks it.
     */
    public String claimHeaderValue(String claim) {
        return switch (claim) {
            case "sub", "user" -> userId;
            case "email" -> email;
            case "name" -> name;
            case "groups" -> String.join(",", groups);
            case "sid" -> sessionId;
            default -> extraClaims.getOrDefault(claim, "");
        };
    }

    private static String joined(Object value) {
        if (value instanceof Collection<?> list) {
            return list.stream().filter(AssertionSubject::isScalar).map(AssertionSubject::text)
                    .collect(Collectors.joining(","));
        }
        return isScalar(value) ? text(value) : "";
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    /** As Go's {@code fmt.Sprint} writes the value: whole numbers without a fraction. */
    private static String text(Object value) {
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            BigDecimal decimal = new BigDecimal(value.toString()).stripTrailingZeros();
            return decimal.scale() <= 0 && decimal.precision() - decimal.scale() <= 21
                    ? decimal.toBigInteger().toString() : value.toString();
        }
        return value.toString();
    }
}
