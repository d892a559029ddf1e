package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The key that signs assertions, with its JWS algorithm and key id.
 *
 * <p>An EC P-256 key signs with ES256, an RSA key (at least 2048 bits) with RS256 (RFC 7518 §3.3,
 * §3.4). The {@code kid} is the RFC 7638 JWK SHA-256 thumbprint of the public key in lower-case hex, as
 * Pomerium computes it ({@code pkg/cryptutil/jose.go}), so it is the same wherever the same key is used,
 * under either proxy. {@link #toString()} shows the algorithm
 * and key id only; the private key never leaves this class except inside its {@link JWSSigner}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class SigningKey {

    private final JWSAlgorithm algorithm;
    private final JWK publicJwk;
    private final JWSSigner signer;

    SigningKey(KeyPair pair) {
        try {
            JWK privateJwk = privateJwk(pair);
            this.algorithm = (JWSAlgorithm) privateJwk.getAlgorithm();
            this.publicJwk = privateJwk.toPublicJWK();
            this.signer = privateJwk instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) privateJwk);
            // ECDSA needs fresh randomness per signature; the default generator would read /dev/urandom on an event loop.
            this.signer.getJCAContext().setSecureRandom(NonBlockingRandom.get());
        } catch (JOSEException e) {
            throw new IllegalStateException("Nimbus refused a key that was already checked", e);
        }
    }

    /**
     * The key in {@code pem}, the value of {@code signing_key} (already base64-decoded) or the
     * contents of {@code signing_key_file}.
     *
     * @throws InvalidSigningKeyException unless it is an unencrypted EC P-256 key (SEC1 or PKCS#8)
     *         or an RSA key of at least 2048 bits (PKCS#1 or PKCS#8); the message says which
     */
    public static SigningKey fromPem(String pem) {
        requireNonNull(pem, "pem");
        return new SigningKey(PemSigningKeyReader.read(pem));
    }

    /**
     * The P-256 (ES256) key derived from {@code shared_secret} with HKDF-SHA256 (RFC 5869, info
     * {@code "derived-jwt-signing-key"}) as Pomerium derives it; the same secret always gives the same key
     * and kid.
     * See {@link SharedSecretKeyDerivation} for the exact steps.
     *
     * @param sharedSecret the decoded shared secret, at least 32 bytes; not retained
     * @throws InvalidSigningKeyException when the secret is shorter than 32 bytes
     */
    public static SigningKey derivedFrom(byte[] sharedSecret) {
        requireNonNull(sharedSecret, "sharedSecret");
        return new SigningKey(SharedSecretKeyDerivation.keyPairFrom(sharedSecret));
    }

    /** {@code ES256} or {@code RS256}. */
    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** The RFC 7638 SHA-256 thumbprint of the public key, lower-case hex (64 characters). */
    public String kid() {
        return publicJwk.getKeyID();
    }

    /** The public key as a JWK with {@code use: sig}, {@code alg} and {@code kid}; never private parts. */
    public JWK publicJwk() {
        return publicJwk;
    }

    /** Signs with the private key; thread-safe (Nimbus creates a JCA signature per call). */
    JWSSigner signer() {
        return signer;
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + ", kid=" + kid() + "]";
    }

    private static JWK privateJwk(KeyPair pair) throws JOSEException {
        if (pair.getPublic() instanceof ECPublicKey ec) {
            return new ECKey.Builder(Curve.P_256, ec)
                    .keyID(hexThumbprint(new ECKey.Builder(Curve.P_256, ec).build()))
                    .privateKey(pair.getPrivate())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .build();
        }
        RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
        return new RSAKey.Builder(rsa)
                .keyID(hexThumbprint(new RSAKey.Builder(rsa).build()))
                .privateKey(pair.getPrivate())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .build();
    }

    /** RFC 7638 §3 over the required public members only, SHA-256, in hex as Pomerium writes {@code kid}. */
    private static String hexThumbprint(JWK publicOnly) throws JOSEException {
        return HexFormat.of().formatHex(publicOnly.computeThumbprint("SHA-256").decode());
    }
}
