package dev.portcullis.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM text into Java keys and certificates. Private keys may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA or SEC1 EC ({@code BEGIN RSA/EC PRIVATE KEY}), as
 * Let's Encrypt clients, Traefik and openssl write them; Bouncy Castle does the parsing.
 */
public final class PemMaterial {
    private PemMaterial() {}

    /** Every certificate in {@code pem}, in order (leaf first for a chain). */
    public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = factory
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate found in the PEM text");
        }
        return certificates;
    }

    /** The first private key in {@code pem}. */
    public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new GeneralSecurityException("the private key is not readable PEM: " + e.getMessage(), e);
        }
        throw new GeneralSecurityException("no unencrypted private key found in the PEM text");
    }
}
