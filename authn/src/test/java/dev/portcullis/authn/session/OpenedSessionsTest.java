package dev.portcullis.authn.session;

import static dev.portcullis.authn.session.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The sealer remembers what it opened ({@link OpenedSessions}) without accepting anything it would refuse when
 * opening afresh: a remembered cookie is refused once expired, for another purpose, by another secret's sealer,
 * and a changed copy of it is not taken for it.
 */
class OpenedSessionsTest {

    private final SessionSealer sealer = new SessionSealer(Sessions.secret());

    @Test
    void aCookieOpenedOnceIsRememberedUnderItsDigestAndPurpose() {
        String sealed = sealer.seal(Sessions.alice(), Purpose.ROUTE_SESSION);
        OpenedSessions opened = new OpenedSessions();
        byte[] digest = OpenedSessions.digestOf(sealed);
        assertThat(opened.find(digest, Purpose.ROUTE_SESSION)).isEmpty();

        opened.remember(digest, Purpose.ROUTE_SESSION, Sessions.alice());

        assertThat(opened.find(digest, Purpose.ROUTE_SESSION)).isPresent();
        assertThat(opened.find(digest, Purpose.AUTHENTICATE_SESSION)).isEmpty();
        assertThat(opened.find(OpenedSessions.digestOf(sealed + "x"), Purpose.ROUTE_SESSION)).isEmpty();
    }

    @Test
    void aRememberedCookieIsRefusedOnceItsSessionHasExpired() {
        Session alice = Sessions.alice();
        String sealed = sealer.seal(alice, Purpose.ROUTE_SESSION);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, NOW)).contains(alice);

        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, alice.expiresAt().plusSeconds(1))).isEmpty();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, NOW.plus(Duration.ofMinutes(5)))).contains(alice);
    }

    @Test
    void aRememberedCookieDoesNotOpenForAnotherPurposeOrUnderAnotherSecret() {
        Session alice = Sessions.alice();
        String sealed = sealer.seal(alice, Purpose.ROUTE_SESSION);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, NOW)).contains(alice);

        assertThat(sealer.unseal(sealed, Purpose.AUTHENTICATE_SESSION, NOW)).isEmpty();
        assertThat(new SessionSealer(Sessions.secret()).unseal(sealed, Purpose.ROUTE_SESSION, NOW)).isEmpty();
    }

    @Test
    void aChangedCopyOfARememberedCookieIsStillRefused() {
        String sealed = sealer.seal(Sessions.alice(), Purpose.ROUTE_SESSION);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, NOW)).isPresent();

        for (int i = 0; i < sealed.length(); i += 7) {
            if (i == sealed.length() - 1 || sealed.charAt(i + 1) == '.') {
                // The last character of a base64url part carries unused bits: another letter there can decode to
                // the same bytes, the same authentic cookie written another way.
                continue;
            }
            char c = sealed.charAt(i);
            String changed = sealed.substring(0, i) + (c == 'A' ? 'B' : 'A') + sealed.substring(i + 1);
            assertThat(sealer.unseal(changed, Purpose.ROUTE_SESSION, NOW)).as("changed at %d", i).isEmpty();
        }
        assertThat(sealer.unseal(sealed + ".", Purpose.ROUTE_SESSION, NOW)).isEmpty();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, NOW)).isPresent();
    }

    @Test
    void manyDifferentCookiesStillOpenEachTimeWhateverTheCacheKeeps() {
        var sealedOnes = IntStream.range(0, OpenedSessions.CAPACITY * 2)
                .mapToObj(i -> sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION)).toList();
        sealedOnes.forEach(s -> assertThat(sealer.unseal(s, Purpose.ROUTE_SESSION, NOW)).isPresent());
        sealedOnes.forEach(s -> assertThat(sealer.unseal(s, Purpose.ROUTE_SESSION, NOW)).isPresent());
    }
}
