package dev.portcullis.authn.assertion;

import dev.portcullis.authn.KeyDerivation;
import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Arrays;


/**
 * Derives the default P-256 signing key from {@code shared_secret} exactly as Pomerium does when no
 * {@code signing_key} is set (its {@code Options.deriveSigningKey}), so the same secret gives the same
 * key and {@code kid} under either proxy, and every replica signs with it without more configuration.
 *
 * <p>The derivation (Pomerium's, and therefore fixed forever):
 * <ol>
 *   <li>{@code okm = HKDF-SHA256(IKM = shared secret, salt = none, info = "derived-jwt-signing-key", L = 40)}
 *       (RFC 5869; without a salt HKDF uses HashLen zero bytes, §2.2, which is sound because the
 *       secret is already uniformly random); Pomerium reads the HKDF stream with
 *       {@code filippo.io/keygen.ECDSALegacy}, which takes {@code bitlen(n)/8 + 8 = 40} bytes;</li>
 *   <li>{@code d = (OS2IP(okm) mod (n - 1)) + 1}, the "extra random bits" method of FIPS 186-4
 *       B.4.1 (what Go's {@code ecdsa.GenerateKey} did up to Go 1.19, which {@code ECDSALegacy} keeps):
 *       64 bits more than the order make the bias negligible and {@code d} always lies in [1, n-1];</li>
 *   <li>the public point {@code Q = d·G}.</li>
 * </ol>
 */
final class SharedSecretKeyDerivation {

    /** Pomerium's HKDF {@code info} for the JWT signing key (config/options.go, {@code deriveSigningKey}). */
    static final String INFO = "derived-jwt-signing-key";

    /** 256 bits of the order plus 64 extra bits (FIPS 186-4 B.4.1). */
    static final int OKM_LENGTH = 40;

    /** The shortest shared secret accepted (COMPAT: 32 random bytes). */
    static final int MIN_SECRET_LENGTH = 32;

    private SharedSecretKeyDerivation() {
    }

    /**
     * The P-256 key pair derived from {@code sharedSecret}.
     *
     * @throws InvalidSigningKeyException when the secret is shorter than 32 bytes
     */
    static KeyPair keyPairFrom(byte[] sharedSecret) {
        return P256.keyPairFor(scalarFrom(sharedSecret));
    }

    /** The private scalar derived from {@code sharedSecret}, always in [1, n-1]. */
    static BigInteger scalarFrom(byte[] sharedSecret) {
        if (sharedSecret.length < MIN_SECRET_LENGTH) {
            throw new InvalidSigningKeyException("shared_secret: " + sharedSecret.length
                    + " bytes (expected: at least " + MIN_SECRET_LENGTH + "; make one with `head -c32 /dev/urandom | base64`)");
        }
        byte[] okm = KeyDerivation.hkdfSha256(sharedSecret, INFO, OKM_LENGTH);
        try {
            return scalarFromOutputKeyingMaterial(okm);
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    /** FIPS 186-4 B.4.1 step 6: {@code d = (c mod (n - 1)) + 1} where {@code c} is the unsigned value of the bytes. */
    static BigInteger scalarFromOutputKeyingMaterial(byte[] okm) {
        BigInteger c = new BigInteger(1, okm);
        return c.mod(P256.ORDER.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }
}
