package dev.portcullis.authn.assertion;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads {@code signing_key}: the private keys in PEM text, as OpenSSL writes them. Several keys are a
 * rotation, as in Pomerium: the first signs, every one is published; each must be acceptable.
 *
 * <p>Accepted: an EC key on P-256 in SEC1 ({@code BEGIN EC PRIVATE KEY}, RFC 5915, optionally after
 * an {@code EC PARAMETERS} block) or PKCS#8 ({@code BEGIN PRIVATE KEY}, RFC 5208/5958); an RSA key
 * of at least {@value #MIN_RSA_BITS} bits in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, RFC 8017) or
 * PKCS#8. The public key is always recomputed from the private one, so a mismatched public part in
 * the file cannot make the published key set disagree with the signatures.
 *
 * <p>Everything else is refused with an {@link InvalidSigningKeyException} whose message says what was
 * found and what is expected, and never contains key material: other curves, shorter RSA keys,
 * encrypted keys, public keys and certificates, other key types, and text that is not PEM.
 */
final class PemSigningKeyReader {

    static final int MIN_RSA_BITS = 2048;

    private static final String EXPECTED =
            "expected: an unencrypted PEM private key, EC P-256 (ES256) or RSA of at least " + MIN_RSA_BITS + " bits (RS256)";

    private PemSigningKeyReader() {
    }

    /**
     * The first key pair in {@code pem}, the one that signs.
     *
     * @throws InvalidSigningKeyException when {@code pem} holds no private key, or one that is not acceptable
     */
    static KeyPair read(String pem) {
        return readAll(pem).get(0);
    }

    /**
     * Every key pair in {@code pem}, in the order written (at least one).
     *
     * @throws InvalidSigningKeyException when {@code pem} holds no private key, or one that is not acceptable
     */
    static List<KeyPair> readAll(String pem) {
        if (!pem.contains("-----BEGIN ")) {
            throw refused("no PEM block found (if the value is base64 of a PEM file, decode it first)");
        }
        return privateKeys(pem).stream().map(PemSigningKeyReader::keyPair).toList();
    }

    private static KeyPair keyPair(PrivateKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return ecKeyPair(info);
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return rsaKeyPair(info);
        }
        throw refused("a " + keyTypeName(algorithm) + " private key");
    }

    private static List<PrivateKeyInfo> privateKeys(String pem) {
        List<PrivateKeyInfo> keys = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    keys.add(pair.getPrivateKeyInfo());
                    continue;
                }
                if (item instanceof PrivateKeyInfo info) {
                    keys.add(info);
                    continue;
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw refused("an encrypted private key (decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`)");
                }
                if (item instanceof SubjectPublicKeyInfo) {
                    throw refused("a public key where the private key is needed");
                }
                if (item instanceof X509CertificateHolder) {
                    throw refused("a certificate where the private key is needed");
                }
                if (!(item instanceof ASN1ObjectIdentifier || item instanceof X9ECParameters)) {
                    throw refused("an unsupported PEM object (" + item.getClass().getSimpleName() + ")");
                }
                // An "EC PARAMETERS" block, as `openssl ecparam -genkey` writes before the key: skip it.
            }
        } catch (InvalidSigningKeyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The parser's own message may quote the damaged input; say only what kind of failure it was.
            throw refused("unreadable PEM data (damaged or truncated base64 or ASN.1)");
        }
        if (keys.isEmpty()) {
            throw refused("no private key in the PEM text");
        }
        return keys;
    }

    private static KeyPair ecKeyPair(PrivateKeyInfo info) {
        ASN1Encodable encoded = info.getPrivateKeyAlgorithm().getParameters();
        X962Parameters parameters = encoded == null ? null : X962Parameters.getInstance(encoded);
        if (parameters == null || !parameters.isNamedCurve()) {
            throw refused("an EC key without a named curve in it");
        }
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(parameters.getParameters());
        if (!SECObjectIdentifiers.secp256r1.equals(curve)) {
            String name = ECNamedCurveTable.getName(curve);
            throw refused("an EC key on curve " + (name != null ? name : curve.getId()) + " (only P-256 / prime256v1 is supported, for ES256)");
        }
        ECPrivateKey privateKey = (ECPrivateKey) convert(info);
        BigInteger d = privateKey.getS();
        if (d.signum() <= 0 || d.compareTo(P256.ORDER) >= 0) {
            throw refused("an EC key whose private value is out of range for P-256");
        }
        return P256.keyPairFor(d);
    }

    private static KeyPair rsaKeyPair(PrivateKeyInfo info) {
        PrivateKey privateKey = convert(info);
        if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
            throw refused("an RSA key without its public exponent (CRT form expected)");
        }
        int bits = crt.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw refused("an RSA key of " + bits + " bits (too short)");
        }
        try {
            PublicKey publicKey = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw refused("an RSA key the JDK cannot use");
        }
    }

    private static PrivateKey convert(PrivateKeyInfo info) {
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw refused("a private key the JDK cannot decode");
        }
    }

    private static String keyTypeName(ASN1ObjectIdentifier algorithm) {
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            return "Ed25519";
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
            return "Ed448";
        }
        if (X9ObjectIdentifiers.id_dsa.equals(algorithm)) {
            return "DSA";
        }
        return "key type " + algorithm.getId();
    }

    private static InvalidSigningKeyException refused(String found) {
        return new InvalidSigningKeyException("signing_key: found " + found + " (" + EXPECTED + ")");
    }
}
