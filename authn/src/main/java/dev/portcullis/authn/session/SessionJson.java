package dev.portcullis.authn.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON object a session is sealed as. Short member names keep the cookie small; {@code v} is the
 * layout version, so a later layout can be told apart. Reading is strict: a missing or mistyped
 * member is an {@link IllegalArgumentException}, which the sealer turns into "no session".
 */
final class SessionJson {

    static final long VERSION = 1;

    private SessionJson() {
    }

    static Map<String, Object> toJson(Session session) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", VERSION);
        json.put("sid", session.sessionId());
        json.put("sub", session.userId());
        putIfNotNull(json, "email", session.email());
        putIfNotNull(json, "name", session.name());
        json.put("groups", session.groups());
        json.put("claims", session.claims());
        json.put("iat", session.issuedAt().getEpochSecond());
        json.put("exp", session.expiresAt().getEpochSecond());
        session.idToken().ifPresent(token -> json.put("idt", token));
        session.refreshToken().ifPresent(token -> json.put("rt", token));
        session.refreshDueAt().ifPresent(due -> json.put("rat", due.getEpochSecond()));
        session.providerSessionId().ifPresent(sid -> json.put("psid", sid));
        session.accessToken().ifPresent(token -> json.put("at", token));
        session.idpClientId().ifPresent(client -> json.put("idpc", client));
        return json;
    }

    static Session fromJson(Map<String, Object> json) {
        if (epochSeconds(json, "v") != VERSION) {
            throw new IllegalArgumentException("unknown session layout: " + json.get("v"));
        }
        return new Session(
                requiredString(json, "sid"),
                requiredString(json, "sub"),
                optionalString(json, "email"),
                optionalString(json, "name"),
                stringList(json, "groups"),
                object(json, "claims"),
                Instant.ofEpochSecond(epochSeconds(json, "iat")),
                Instant.ofEpochSecond(epochSeconds(json, "exp")),
                Optional.ofNullable(optionalString(json, "idt")),
                Optional.ofNullable(optionalString(json, "rt")),
                json.containsKey("rat") ? Optional.of(Instant.ofEpochSecond(epochSeconds(json, "rat"))) : Optional.empty(),
                Optional.ofNullable(optionalString(json, "psid")),
                Optional.ofNullable(optionalString(json, "at")),
                Optional.ofNullable(optionalString(json, "idpc")));
    }

    private static void putIfNotNull(Map<String, Object> json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    private static String requiredString(Map<String, Object> json, String key) {
        String value = optionalString(json, key);
        if (value == null) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return value;
    }

    private static String optionalString(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(key + ": not a string");
    }

    private static long epochSeconds(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException(key + ": not an integer");
    }

    private static List<String> stringList(Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException(key + ": not a list");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof String string)) {
                throw new IllegalArgumentException(key + ": holds a non-string");
            }
            strings.add(string);
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        if (!(json.get(key) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(key + ": not an object");
        }
        return (Map<String, Object>) map;
    }
}
