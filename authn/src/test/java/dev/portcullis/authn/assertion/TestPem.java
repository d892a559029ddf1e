package dev.portcullis.authn.assertion;

import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/** Keys made in the test and written as OpenSSL writes them. */
final class TestPem {

    private TestPem() {
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * "EC PRIVATE KEY" (SEC1, RFC 5915) as OpenSSL writes it: version 1, the private value, the named
     * curve and, when {@code withPublicKey}, the public point. (Bouncy Castle's own writer leaves the
     * curve out when converting a JDK key.)
     */
    static String sec1(KeyPair pair, boolean withPublicKey) {
        ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
        SubjectPublicKeyInfo spki =
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        ASN1ObjectIdentifier curve =
                ASN1ObjectIdentifier.getInstance(spki.getAlgorithm().getParameters());
        int orderBits = key.getParams().getOrder().bitLength();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = withPublicKey
                ? new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, key.getS(), spki.getPublicKeyData(), curve)
                : new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, key.getS(), curve);
        try {
            return write(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** "RSA PRIVATE KEY" (PKCS#1). */
    static String traditional(PrivateKey key) {
        try {
            return write(new JcaMiscPEMGenerator(key));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** "PRIVATE KEY" (PKCS#8). */
    static String pkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** "ENCRYPTED PRIVATE KEY" (PKCS#8, AES-256-CBC). */
    static String encryptedPkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider())
                    .setPassword("secret".toCharArray()).build()));
        } catch (IOException | OperatorCreationException e) {
            throw new AssertionError(e);
        }
    }

    /** "EC PRIVATE KEY" with "Proc-Type: 4,ENCRYPTED" (OpenSSL's traditional encryption). */
    static String encryptedTraditional(PrivateKey key) {
        try {
            return write(new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(new BouncyCastleProvider()).build("secret".toCharArray())));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String write(Object pemObject) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (pemObject instanceof PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(pemObject);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString();
    }
}
