package dev.portcullis.authn.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Sessions and secrets for the tests. */
final class Sessions {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final SecureRandom RANDOM = new SecureRandom();

    private Sessions() {
    }

    static byte[] secret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    static Session alice() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("department", "engineering");
        claims.put("level", 7);
        claims.put("roles", List.of("admin", "ops"));
        claims.put("address", Map.of("country", "NZ"));
        return new Session(Session.newSessionId(RANDOM), "user-alice", "alice@example.com", "Alice",
                List.of("admins", "family"), claims, NOW, NOW.plus(Duration.ofHours(14)),
                Optional.of("id.token.value"), Optional.of("refresh-token-value"), Optional.empty(), Optional.empty(),
                Optional.of("access-token-value"));
    }

    static Session bob() {
        return new Session(Session.newSessionId(RANDOM), "user-bob", null, null, null, null, NOW,
                NOW.plus(Duration.ofHours(1)), Optional.empty(), Optional.empty());
    }

    /** A session with {@code groupCount} UUID groups: random text that compression cannot shrink. */
    static Session withManyGroups(int groupCount) {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < groupCount; i++) {
            groups.add(UUID.randomUUID().toString());
        }
        return new Session(Session.newSessionId(RANDOM), "user-carol", "carol@example.com", "Carol",
                groups, Map.of("tenant", "home"), NOW, NOW.plus(Duration.ofHours(14)),
                Optional.of("id.token.value"), Optional.empty());
    }
}
