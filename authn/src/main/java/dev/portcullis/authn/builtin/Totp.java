package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * Time-based one-time passwords as authenticator apps make them (RFC 6238 with HOTP, RFC 4226):
 * HMAC-SHA-1, 30-second steps counted from the Unix epoch, 6 digits, and secrets in base32 (RFC 4648
 * §6, case-insensitive, spaces and padding ignored). A code is accepted for the current step and one
 * step either side (RFC 6238 §5.2), so a clock off by up to 30 s still works. This class holds no
 * state: it returns the step a code matched, and the caller refuses a step it has already accepted
 * for that user (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the same OTP").
 */
public final class Totp {

    static final long STEP_SECONDS = 30;
    static final int DIGITS = 6;
    static final int SECRET_BYTES = 20;
    private static final int MIN_SECRET_BYTES = 10;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    public Totp() {}

    /** A new 160-bit secret (RFC 4226 §4's recommended length), as 32 base32 characters. */
    public static String newSecret(SecureRandom random) {
        requireNonNull(random, "random");
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return Base32.toBase32String(secret);
    }

    /**
     * The {@code otpauth://totp/} URI an authenticator app reads from a QR code (the Google
     * Authenticator key URI format): label {@code issuer:email}, with the issuer, algorithm, digits
     * and period spelled out.
     */
    public static String otpauthUri(String issuer, String email, String secret) {
        requireNonNull(issuer, "issuer");
        requireNonNull(email, "email");
        requireNonNull(secret, "secret");
        decodeSecret(secret);
        return "otpauth://totp/" + encode(issuer) + ":" + encode(email)
                + "?secret=" + normalizeSecret(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    /**
     * The time step {@code code} was made for, when it matches {@code secret} at {@code now} or one step
     * either side; empty otherwise (also for a code that is not 6 digits, spaces aside). The three
     * candidates are always all computed and compared in constant time.
     *
     * @throws IllegalArgumentException when {@code secret} is not valid base32 of at least 80 bits
     */
    public OptionalLong acceptedStep(String secret, String code, Instant now) {
        requireNonNull(secret, "secret");
        requireNonNull(code, "code");
        requireNonNull(now, "now");
        byte[] key = decodeSecret(secret);
        String digits = code.replace(" ", "");
        boolean wellFormed = digits.length() == DIGITS && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        byte[] given = (wellFormed ? digits : "x".repeat(DIGITS)).getBytes(StandardCharsets.US_ASCII);
        long current = Math.floorDiv(now.getEpochSecond(), STEP_SECONDS);
        long matched = -1;
        for (long step = current - 1; step <= current + 1; step++) {
            byte[] expected = code(key, step, DIGITS).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given) && matched < 0) {
                matched = step;
            }
        }
        return wellFormed && matched >= 0 ? OptionalLong.of(matched) : OptionalLong.empty();
    }

    /** When codes of {@code step} stop being accepted: {@link #acceptedStep} takes a step either side of now. */
    static Instant acceptedUntil(long step) {
        return Instant.ofEpochSecond((step + 2) * STEP_SECONDS);
    }

    /** Whether {@code secret} is usable: base32 of at least 80 bits (RFC 4226 §4's minimum: 128; apps accept 80). */
    static boolean isValidSecret(String secret) {
        try {
            decodeSecret(secret);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** HOTP (RFC 4226 §5.3) of {@code step} with {@code digits} digits, zero-padded. */
    static String code(byte[] key, long step, int digits) {
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            hmac = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA1", e);
        }
        int offset = hmac[hmac.length - 1] & 0x0f;
        int binary = ((hmac[offset] & 0x7f) << 24) | ((hmac[offset + 1] & 0xff) << 16)
                | ((hmac[offset + 2] & 0xff) << 8) | (hmac[offset + 3] & 0xff);
        String value = Integer.toString(binary % POWERS[digits]);
        return "0".repeat(digits - value.length()) + value;
    }

    private static byte[] decodeSecret(String secret) {
        String normalized = normalizeSecret(secret);
        if (normalized.isEmpty() || !normalized.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
            throw new IllegalArgumentException("TOTP secret: not base32 (expected: letters A-Z and digits 2-7)");
        }
        int padding = (8 - normalized.length() % 8) % 8;
        byte[] key;
        try {
            key = Base32.decode(normalized + "=".repeat(padding));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TOTP secret: not base32 (expected: letters A-Z and digits 2-7)");
        }
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("TOTP secret: " + key.length * 8 + " bits (expected: at least 80)");
        }
        return key;
    }

    private static String normalizeSecret(String secret) {
        return secret.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
    }

    /** Percent-encoding for the label and query (a space is %20, as the key URI format asks; @ stays). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }
}
