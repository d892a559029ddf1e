package dev.portcullis.proxy.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Whether a private key belongs to a certificate: something signed with the key must verify with
 * the certificate's public key. A TLS library accepts a mismatched pair and only every handshake
 * fails; caught here, a half-renewed certificate (the new certificate beside the old key) is
 * refused while the running pair goes on serving.
 */
public final class KeyPairCheck {
    private static final byte[] PROBE = "portcullis key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {}

    /** Whether {@code key} is the private key of {@code certificateKey}. */
    public static boolean matches(PrivateKey key, PublicKey certificateKey) {
        try {
            requireMatch(key, certificateKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** @throws GeneralSecurityException when {@code key} is not the private key of {@code certificateKey} */
    public static void requireMatch(PrivateKey key, PublicKey certificateKey) throws GeneralSecurityException {
        String algorithm = switch (certificateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new GeneralSecurityException("certificates with " + certificateKey.getAlgorithm()
                    + " keys are not supported");
        };
        if (!key.getAlgorithm().equals(certificateKey.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && certificateKey.getAlgorithm().startsWith("Ed"))) {
            throw new GeneralSecurityException("the private key (" + key.getAlgorithm()
                    + ") does not belong to the certificate (" + certificateKey.getAlgorithm() + ")");
        }
        Signature signer = signature(algorithm);
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signature = signer.sign();
        Signature verifier = signature(algorithm);
        verifier.initVerify(certificateKey);
        verifier.update(PROBE);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate"
                    + " (was only one of the two files renewed?)");
        }
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        return signature;
    }
}
