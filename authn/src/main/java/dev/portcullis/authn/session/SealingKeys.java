package dev.portcullis.authn.session;

import dev.portcullis.authn.KeyDerivation;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal sessions, one per {@link Purpose}, derived from the cookie secret with
 * HKDF-SHA256 (RFC 5869). The {@code info} input names the purpose, so the cookie secret never serves
 * two purposes directly: other users of the same secret (OAuth state, CSRF) derive with other labels
 * and get independent keys. No salt is used (RFC 5869 §3.1: the secret is already uniformly random).
 */
final class SealingKeys {

    /** The cookie secret's length: 32 random bytes, as {@code COOKIE_SECRET} is specified. */
    static final int SECRET_BYTES = 32;
    static final String INFO_PREFIX = "portcullis session cookie v1 ";
    private static final int KEY_BYTES = 32;

    private final Map<Purpose, SecretKey> keys;

    SealingKeys(byte[] cookieSecret) {
        if (cookieSecret == null || cookieSecret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("cookie secret: "
                    + (cookieSecret == null ? "missing" : cookieSecret.length + " bytes")
                    + " (expected: " + SECRET_BYTES + " random bytes)");
        }
        Map<Purpose, SecretKey> derived = new EnumMap<>(Purpose.class);
        for (Purpose purpose : Purpose.values()) {
            derived.put(purpose, derive(cookieSecret, purpose));
        }
        this.keys = derived;
    }

    SecretKey keyFor(Purpose purpose) {
        return keys.get(purpose);
    }

    /** HKDF-SHA256(ikm = secret, salt = none, info = {@link #INFO_PREFIX} + label) to 32 bytes. */
    static byte[] deriveBytes(byte[] cookieSecret, Purpose purpose) {
        return KeyDerivation.hkdfSha256(cookieSecret, INFO_PREFIX + purpose.label(), KEY_BYTES);
    }

    private static SecretKey derive(byte[] cookieSecret, Purpose purpose) {
        byte[] bytes = deriveBytes(cookieSecret, purpose);
        try {
            return new SecretKeySpec(bytes, "AES");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
