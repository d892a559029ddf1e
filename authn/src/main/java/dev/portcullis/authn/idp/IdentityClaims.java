package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The identity claims of one sign-in: those of the ID token, completed by userinfo for the claims
 * the token lacks, without the JWT mechanics ({@link #JWT_MECHANICS}). Values are plain JSON only:
 * String, Number, Boolean, null, List and Map with string keys; a date becomes seconds since the epoch
 * and anything else its string form.
 */
final class IdentityClaims {

    /** Claims that describe the token rather than the user. */
    static final Set<String> JWT_MECHANICS =
            Set.of("iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash", "azp", "jti");

    private final Map<String, Object> claims;

    private IdentityClaims(Map<String, Object> claims) {
        this.claims = Collections.unmodifiableMap(claims);
    }

    static IdentityClaims of(Map<String, ?> claims) {
        requireNonNull(claims, "claims");
        Map<String, Object> copy = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (!JWT_MECHANICS.contains(name)) {
                copy.put(name, plain(value));
            }
        });
        return new IdentityClaims(copy);
    }

    static IdentityClaims of(JWTClaimsSet idToken) {
        return of(idToken.toJSONObject());
    }

    /**
     * These claims completed by userinfo's (OpenID Connect Core 1.0 §5.3.2: the userinfo {@code sub}
     * must be this identity's, else {@code REJECTED}).
     */
    IdentityClaims withUserInfo(Map<String, ?> userInfo) {
        Object sub = userInfo.get("sub");
        if (sub != null && claims.containsKey("sub") && !Objects.equals(sub, claims.get("sub"))) {
            throw IdentityProviderException.rejected("userinfo describes another user than the ID token");
        }
        Map<String, Object> merged = new LinkedHashMap<>(claims);
        of(userInfo).claims.forEach(merged::putIfAbsent);
        return new IdentityClaims(merged);
    }

    /** Whether userinfo may add something the sign-in uses: email, name or groups. */
    boolean lacksProfile() {
        return !claims.containsKey("email") || !claims.containsKey("name") || !claims.containsKey("groups");
    }

    /** The {@code sub} claim; {@code REJECTED} when absent. */
    String subject() {
        if (!(claims.get("sub") instanceof String sub) || sub.isEmpty()) {
            throw IdentityProviderException.rejected("the identity provider named no subject (sub)");
        }
        return sub;
    }

    String email() {
        return claims.get("email") instanceof String email ? email : null;
    }

    String name() {
        return claims.get("name") instanceof String name ? name : null;
    }

    /** The {@code groups} claim when it is a list of strings; otherwise empty. */
    List<String> groups() {
        if (!(claims.get("groups") instanceof List<?> list)) {
            return List.of();
        }
        List<String> groups = new ArrayList<>(list.size());
        for (Object group : list) {
            if (!(group instanceof String name)) {
                return List.of();
            }
            groups.add(name);
        }
        return List.copyOf(groups);
    }

    Object get(String name) {
        return claims.get(name);
    }

    Map<String, Object> asMap() {
        return claims;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Date date) {
            return date.getTime() / 1000;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(String.valueOf(key), plain(element)));
            return copy;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            collection.forEach(element -> copy.add(plain(element)));
            return copy;
        }
        if (value instanceof Object[] array) {
            return plain(java.util.Arrays.asList(array));
        }
        return value.toString();
    }
}
