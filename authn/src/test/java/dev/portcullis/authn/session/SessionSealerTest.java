package dev.portcullis.authn.session;

import static dev.portcullis.authn.session.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.keys.AesKey;
import org.junit.jupiter.api.Test;

class SessionSealerTest {

    private final byte[] secret = Sessions.secret();
    private final SessionSealer sealer = new SessionSealer(secret);

    @Test
    void sealedSessionOpensAsTheSameSessionForEachPurpose() {
        for (Purpose purpose : Purpose.values()) {
            Session alice = Sessions.alice();
            assertThat(sealer.unseal(sealer.seal(alice, purpose), purpose, NOW)).contains(alice);
            Session bob = Sessions.bob();
            assertThat(sealer.unseal(sealer.seal(bob, purpose), purpose, NOW)).contains(bob);
        }
    }

    @Test
    void sealedValueUsesOnlyCookieSafeCharactersAndHidesTheContent() {
        String sealed = sealer.seal(Sessions.alice(), Purpose.ROUTE_SESSION);
        assertThat(sealed).matches("[A-Za-z0-9_.-]+");
        String all = decodeAll(sealed);
        assertThat(all).doesNotContain("alice").doesNotContain("refresh-token-value");
    }

    @Test
    void anIndependentJoseLibraryDecryptsItWithTheHkdfDerivedKey() throws Exception {
        Session alice = Sessions.alice();
        String sealed = sealer.seal(alice, Purpose.ROUTE_SESSION);
        byte[] key = hkdfSha256(secret, "portcullis session cookie v1 route_session", 32);

        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT, "dir"));
        jwe.setContentEncryptionAlgorithmConstraints(
                new AlgorithmConstraints(ConstraintType.PERMIT, "A256GCM"));
        jwe.setCompactSerialization(sealed);
        jwe.setKey(new AesKey(key));

        assertThat(jwe.getHeader("alg")).isEqualTo("dir");
        assertThat(jwe.getHeader("enc")).isEqualTo("A256GCM");
        assertThat(jwe.getHeader("zip")).isEqualTo("DEF");
        assertThat(jwe.getHeader("purpose")).isEqualTo("route_session");
        assertThat(jwe.getPlaintextString())
                .contains("\"sub\":\"user-alice\"", "\"sid\":\"" + alice.sessionId() + "\"");
    }

    @Test
    void independentHkdfMatchesRfc5869TestCase3() throws Exception {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        assertThat(java.util.HexFormat.of().formatHex(hkdfSha256(ikm, "", 42))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void purposesUseDifferentKeys() {
        assertThat(SealingKeys.deriveBytes(secret, Purpose.ROUTE_SESSION))
                .isNotEqualTo(SealingKeys.deriveBytes(secret, Purpose.AUTHENTICATE_SESSION))
                .isNotEqualTo(secret);
    }

    @Test
    void aCookieOfOnePurposeIsNeverAcceptedAsTheOther() {
        Session alice = Sessions.alice();
        assertThat(sealer.unseal(sealer.seal(alice, Purpose.ROUTE_SESSION),
                Purpose.AUTHENTICATE_SESSION, NOW)).isEmpty();
        assertThat(sealer.unseal(sealer.seal(alice, Purpose.AUTHENTICATE_SESSION),
                Purpose.ROUTE_SESSION, NOW)).isEmpty();
    }

    @Test
    void aCookieSealedWithAnotherSecretIsRefused() {
        String sealed = new SessionSealer(Sessions.secret()).seal(Sessions.alice(), Purpose.ROUTE_SESSION);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, NOW)).isEmpty();
    }

    @Test
    void flippingAnyBitOfAnyDecodedByteIsRefused() {
        String sealed = sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION);
        String[] parts = sealed.split("\\.", -1);
        assertThat(parts).hasSize(5);
        int checked = 0;
        for (int part = 0; part < parts.length; part++) {
            byte[] bytes = Base64.getUrlDecoder().decode(parts[part]);
            for (int i = 0; i < bytes.length; i++) {
                for (int bit = 0; bit < 8; bit += 3) {
                    byte[] tampered = bytes.clone();
                    tampered[i] ^= (byte) (1 << bit);
                    String[] copy = parts.clone();
                    copy[part] = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
                    assertThat(sealer.unseal(String.join(".", copy), Purpose.ROUTE_SESSION, NOW))
                            .as("part %d byte %d bit %d", part, i, bit).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    @Test
    void anEncryptedKeyAddedToTheDirectJweIsRefused() {
        String[] parts = sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION).split("\\.", -1);
        parts[1] = "AAAAAAAAAAAAAAAAAAAAAA";
        assertThat(sealer.unseal(String.join(".", parts), Purpose.ROUTE_SESSION, NOW)).isEmpty();
    }

    @Test
    void everyTruncationIsRefused() {
        String sealed = sealer.seal(Sessions.alice(), Purpose.ROUTE_SESSION);
        for (int length = 0; length < sealed.length(); length++) {
            assertThat(sealer.unseal(sealed.substring(0, length), Purpose.ROUTE_SESSION, NOW))
                    .as("first %d characters", length).isEmpty();
        }
    }

    @Test
    void garbageEmptyAndNullAreRefused() {
        String longHeader = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("[".repeat(30_000).getBytes(StandardCharsets.US_ASCII));
        List<String> garbage = List.of("", " ", ".", "....", "a.b.c.d.e", "eyJ.eyJ.eyJ.eyJ.eyJ",
                "not a cookie", "%%%%", "é☃\u0000", "x".repeat(100_000), longHeader + "....",
                Base64.getUrlEncoder().encodeToString("{\"alg\":\"none\"}".getBytes()) + "....",
                unsecuredLookalike());
        for (String value : garbage) {
            assertThat(sealer.unseal(value, Purpose.ROUTE_SESSION, NOW)).isEmpty();
        }
        assertThat(sealer.unseal(null, Purpose.ROUTE_SESSION, NOW)).isEmpty();
    }

    @Test
    void anExpiredSessionIsRefusedFromItsExpiryOn() {
        Session bob = Sessions.bob();
        String sealed = sealer.seal(bob, Purpose.ROUTE_SESSION);
        Instant expiry = bob.expiresAt();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, expiry.minusSeconds(1))).contains(bob);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, expiry)).isEmpty();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, expiry.plus(Duration.ofDays(1))))
                .isEmpty();
    }

    @Test
    void aSessionIssuedInTheFutureIsRefusedBeyondTheClockSkew() {
        Session bob = Sessions.bob();
        String sealed = sealer.seal(bob, Purpose.ROUTE_SESSION);
        Instant issued = bob.issuedAt();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, issued.minusSeconds(30))).contains(bob);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION,
                issued.minus(SessionSealer.CLOCK_SKEW))).contains(bob);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION,
                issued.minus(SessionSealer.CLOCK_SKEW).minusSeconds(1))).isEmpty();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, issued.minus(Duration.ofDays(1))))
                .isEmpty();
    }

    @Test
    void randomlyMutatedCookiesNeverThrowAndNeverOpenAsSomethingElse() {
        Session alice = Sessions.alice();
        String sealed = sealer.seal(alice, Purpose.ROUTE_SESSION);
        Random random = new Random(4);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"%";
        for (int round = 0; round < 3_000; round++) {
            StringBuilder mutated = new StringBuilder(sealed);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && mutated.length() > 0; e++) {
                int at = random.nextInt(mutated.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> mutated.setCharAt(at, c);
                    case 1 -> mutated.insert(at, c);
                    default -> mutated.deleteCharAt(at);
                }
            }
            Optional<Session> opened = sealer.unseal(mutated.toString(), Purpose.ROUTE_SESSION, NOW);
            // Only a change confined to a base64 segment's unused padding bits may still open.
            opened.ifPresent(session -> assertThat(session).isEqualTo(alice));
        }
    }

    @Test
    void theSecretMustBe32Bytes() {
        assertThatThrownBy(() -> new SessionSealer(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> new SessionSealer(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    }

    @Test
    void theSecretArrayIsNotModified() {
        byte[] copy = secret.clone();
        new SessionSealer(secret);
        assertThat(secret).isEqualTo(copy);
    }

    private static String unsecuredLookalike() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(
                "{\"alg\":\"dir\",\"enc\":\"A128CBC-HS256\",\"purpose\":\"route_session\"}".getBytes());
        return header + "..AAAAAAAAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";
    }

    private static String decodeAll(String sealed) {
        StringBuilder text = new StringBuilder();
        for (String part : sealed.split("\\.", -1)) {
            text.append(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    /** RFC 5869 with the JDK's HMAC, independent of the Bouncy Castle code under test. */
    static byte[] hkdfSha256(byte[] ikm, String info, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] okm = new byte[length];
        byte[] previous = new byte[0];
        for (int filled = 0, counter = 1; filled < length; counter++) {
            mac.update(previous);
            mac.update(info.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) counter);
            previous = mac.doFinal();
            int n = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, okm, filled, n);
            filled += n;
        }
        return okm;
    }
}
