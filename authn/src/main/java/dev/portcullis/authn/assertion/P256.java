package dev.portcullis.authn.assertion;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The NIST P-256 curve (secp256r1, FIPS 186-4 D.1.2.3): JDK keys from a private scalar, with the
 * public point computed by Bouncy Castle's EC arithmetic because the JDK does not expose it.
 */
final class P256 {

    private static final X9ECParameters CURVE = ECNamedCurveTable.getByName("secp256r1");

    /** The order n of the base point; a private scalar lies in [1, n-1]. */
    static final BigInteger ORDER = CURVE.getN();

    private static final ECParameterSpec JDK_PARAMETERS = jdkParameters();

    private P256() {
    }

    /**
     * The key pair whose private scalar is {@code d}.
     *
     * @throws IllegalArgumentException when {@code d} is not in [1, n-1]
     */
    static KeyPair keyPairFor(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(ORDER) >= 0) {
            throw new IllegalArgumentException("P-256 private scalar out of range (expected: 1 <= d <= n-1)");
        }
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(CURVE.getG(), d).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(w, JDK_PARAMETERS));
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(d, JDK_PARAMETERS));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a P-256 key", e);
        }
    }

    private static ECParameterSpec jdkParameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not support the P-256 curve", e);
        }
    }
}
