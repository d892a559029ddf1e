package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

    /** RFC 6238 appendix B's SHA-1 seed: the ASCII string "12345678901234567890". */
    private static final String RFC_SECRET =
            Base32.toBase32String("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    private final Totp totp = new Totp();

    @ParameterizedTest
    @CsvSource({
        "59, 94287082",
        "1111111109, 07081804",
        "1111111111, 14050471",
        "1234567890, 89005924",
        "2000000000, 69279037",
        "20000000000, 65353130",
    })
    void matchesRfc6238AppendixB(long seconds, String eightDigits) {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        long step = seconds / 30;

        assertThat(Totp.code(key, step, 8)).isEqualTo(eightDigits);
        // Six digits are the same truncation modulo 10^6: the last six of the eight.
        String sixDigits = eightDigits.substring(2);
        assertThat(totp.acceptedStep(RFC_SECRET, sixDigits, Instant.ofEpochSecond(seconds))).hasValue(step);
    }

    @Test
    void acceptsOneStepEitherSideAndNoFurther() {
        Instant now = Instant.ofEpochSecond(1_111_111_111L);
        long step = now.getEpochSecond() / 30;
        byte[] key = Base32.decode(RFC_SECRET);

        assertThat(totp.acceptedStep(RFC_SECRET, Totp.code(key, step - 1, 6), now)).hasValue(step - 1);
        assertThat(totp.acceptedStep(RFC_SECRET, Totp.code(key, step + 1, 6), now)).hasValue(step + 1);
        assertThat(totp.acceptedStep(RFC_SECRET, Totp.code(key, step - 2, 6), now)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, Totp.code(key, step + 2, 6), now)).isEmpty();
    }

    @Test
    void acceptsTheCodeWithSpacesAndTheSecretInLowerCase() {
        Instant at = Instant.ofEpochSecond(59);

        assertThat(totp.acceptedStep(RFC_SECRET.toLowerCase(), "287 082", at)).hasValue(1);
    }

    @Test
    void refusesCodesThatAreNotSixDigits() {
        Instant at = Instant.ofEpochSecond(59);

        assertThat(totp.acceptedStep(RFC_SECRET, "94287082", at)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, "28708", at)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, "28708a", at)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, "", at)).isEmpty();
        assertThat(totp.acceptedStep(RFC_SECRET, "２８７０８２", at)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void newSecretsAre160BitsOfBase32ThatVerify() {
        String secret = Totp.newSecret(new SecureRandom());
        Instant now = Instant.parse("2026-01-31T09:00:00Z");

        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(Totp.newSecret(new SecureRandom())).isNotEqualTo(secret);
        String code = Totp.code(Base32.decode(secret), now.getEpochSecond() / 30, 6);
        assertThat(totp.acceptedStep(secret, code, now)).isPresent();
    }

    @Test
    void refusesSecretsThatAreNotBase32OrTooShort() {
        assertThat(Totp.isValidSecret("JBSWY3DPEHPK3PXP")).isTrue();
        assertThat(Totp.isValidSecret("JBSWY3DPEHPK3PX1")).isFalse();
        assertThat(Totp.isValidSecret("JBSWY3DP")).isFalse();
        assertThat(Totp.isValidSecret("")).isFalse();
        assertThatThrownBy(() -> totp.acceptedStep("not base32!", "123456", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not base32!");
    }

    @Test
    void otpauthUriFollowsTheKeyUriFormat() {
        assertThat(Totp.otpauthUri("Portcullis", "alice@example.com", "JBSWY3DPEHPK3PXP"))
                .isEqualTo("otpauth://totp/Portcullis:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Portcullis"
                        + "&algorithm=SHA1&digits=6&period=30");
        assertThat(Totp.otpauthUri("Home NAS & co", "bob@example.com", "jbswy3dpehpk3pxp"))
                .isEqualTo("otpauth://totp/Home%20NAS%20%26%20co:bob@example.com?secret=JBSWY3DPEHPK3PXP"
                        + "&issuer=Home%20NAS%20%26%20co&algorithm=SHA1&digits=6&period=30");
    }
}
