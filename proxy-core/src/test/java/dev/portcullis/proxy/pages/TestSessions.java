package dev.portcullis.proxy.pages;

import dev.portcullis.authn.session.Session;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sessions for page tests. */
final class TestSessions {
    static final Instant ISSUED = Instant.parse("2025-03-01T08:00:00Z");
    static final Instant EXPIRES = Instant.parse("2025-03-01T22:00:00Z");

    private TestSessions() {}

    static Session alice() {
        return session("alice-id", "alice@example.com", "Alice Liddell", List.of("family", "admins"),
                Map.of("locale", "en-GB"));
    }

    static Session session(String userId, String email, String name, List<String> groups, Map<String, Object> claims) {
        return new Session("c2Vzc2lvbi1pZC0xMjM0NQ", userId, email, name, groups, claims, ISSUED, EXPIRES,
                Optional.of("id-token"), Optional.empty());
    }
}
