package dev.portcullis.authn.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PasskeyCeremonySealTest {

    private static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
    private static final byte[] SECRET = filled(7);
    private static final PasskeyChallenge CHALLENGE = new PasskeyChallenge("q1w2e3r4t5y6u7i8o9p0", NOW.plusSeconds(300));
    private static final PasskeyRegistration.Pending REGISTRATION =
            new PasskeyRegistration.Pending("alice@example.com", "aGFuZGxl", CHALLENGE);

    private final PasskeyCeremonySeal seal = new PasskeyCeremonySeal(SECRET);

    @Test
    void opensWhatItSealedForTheSameContextUntilTheChallengeExpires() {
        String registration = seal.seal(REGISTRATION, "session:s1");
        String signIn = seal.seal(new PasskeySignIn.Pending(CHALLENGE), "attempt:st1");

        assertThat(seal.openRegistration(registration, "session:s1", NOW)).contains(REGISTRATION);
        assertThat(seal.openSignIn(signIn, "attempt:st1", NOW)).contains(new PasskeySignIn.Pending(CHALLENGE));
        assertThat(seal.openRegistration(registration, "session:s1", CHALLENGE.expiresAt())).isEmpty();
        assertThat(seal.openSignIn(signIn, "attempt:st1", CHALLENGE.expiresAt())).isEmpty();
    }

    @Test
    void neverOpensInAnotherContextOrAsTheOtherCeremony() {
        String registration = seal.seal(REGISTRATION, "session:s1");
        String signIn = seal.seal(new PasskeySignIn.Pending(CHALLENGE), "attempt:st1");

        assertThat(seal.openRegistration(registration, "session:s2", NOW)).isEmpty();
        assertThat(seal.openSignIn(signIn, "attempt:st2", NOW)).isEmpty();
        assertThat(seal.openSignIn(registration, "session:s1", NOW)).isEmpty();
        assertThat(seal.openRegistration(signIn, "attempt:st1", NOW)).isEmpty();
    }

    @Test
    void refusesWhatIsAlteredOrSealedWithAnotherSecretAndIsOpaque() {
        String registration = seal.seal(REGISTRATION, "session:s1");
        char[] altered = registration.toCharArray();
        int last = altered.length - 2;
        altered[last] = altered[last] == 'A' ? 'B' : 'A';

        assertThat(seal.openRegistration(new String(altered), "session:s1", NOW)).isEmpty();
        assertThat(new PasskeyCeremonySeal(filled(8)).openRegistration(registration, "session:s1", NOW)).isEmpty();
        assertThat(seal.openRegistration("", "session:s1", NOW)).isEmpty();
        assertThat(seal.openRegistration("not.a.jwe.at.all", "session:s1", NOW)).isEmpty();
        assertThat(registration).doesNotContain("alice").doesNotContain(CHALLENGE.value());
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
