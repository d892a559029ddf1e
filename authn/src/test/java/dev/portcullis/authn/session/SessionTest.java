package dev.portcullis.authn.session;

import static dev.portcullis.authn.session.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTest {

    @Test
    void sessionIdsAre128RandomBitsInBase64url() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = Session.newSessionId(Sessions.RANDOM);
            assertThat(id).matches("[A-Za-z0-9_-]{22}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void toStringNeverShowsTokensNorClaimValues() {
        String text = Sessions.alice().toString();
        assertThat(text).contains("user-alice", "idToken=present", "refreshToken=present", "accessToken=present")
                .doesNotContain("id.token.value", "refresh-token-value", "access-token-value", "engineering");
    }

    @Test
    void keepingTokensDropsOnlyTheTokensNotAskedFor() {
        Session alice = Sessions.alice();

        assertThat(alice.keepingTokens(true, true)).isSameAs(alice);
        Session neither = alice.keepingTokens(false, false);
        assertThat(neither.idToken()).isEmpty();
        assertThat(neither.accessToken()).isEmpty();
        assertThat(neither.refreshToken()).as("renewal needs it").isEqualTo(alice.refreshToken());
        assertThat(alice.keepingTokens(false, true).accessToken()).hasValue("access-token-value");
        assertThat(alice.keepingTokens(false, true).idToken()).isEmpty();
        assertThat(alice.keepingTokens(true, false).idToken()).hasValue("id.token.value");
    }

    @Test
    void collectionsAreNeverNullAndCannotBeChangedFromOutside() {
        Session bob = Sessions.bob();
        assertThat(bob.groups()).isEmpty();
        assertThat(bob.claims()).isEmpty();

        List<String> groups = new ArrayList<>(List.of("a"));
        List<Object> roles = new ArrayList<>(List.of("x"));
        Session session = new Session("sid", "u", null, null, groups, Map.of("roles", roles), NOW,
                NOW.plusSeconds(60), null, null);
        groups.add("b");
        roles.add("y");
        assertThat(session.groups()).containsExactly("a");
        assertThat(session.claims().get("roles")).isEqualTo(List.of("x"));
        assertThat(session.idToken()).isEmpty();
        assertThatThrownBy(() -> session.groups().add("c"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void timesAreKeptToWholeSeconds() {
        Session session = new Session("sid", "u", null, null, null, null, NOW.plusMillis(999),
                NOW.plusSeconds(60).plusNanos(5), Optional.empty(), Optional.empty());
        assertThat(session.issuedAt()).isEqualTo(NOW);
        assertThat(session.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void invalidSessionsAreRejectedWithAMessage() {
        assertThatThrownBy(() -> new Session("sid", " ", null, null, null, null, NOW, NOW, null, null))
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> new Session("sid", "u", null, null, null, null, NOW,
                NOW.minusSeconds(1), null, null)).hasMessageContaining("expected: not before issuedAt");
        assertThatThrownBy(() -> new Session("sid", "u", null, null, null, Map.of("k", new Object()),
                NOW, NOW, null, null)).hasMessageContaining("expected: a JSON value");
    }
}
