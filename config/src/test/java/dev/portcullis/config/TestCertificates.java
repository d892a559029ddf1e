package dev.portcullis.config;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test, PEM-encoded as lego (Traefik's ACME client) and openssl write them: EC P-256
 * keys as {@code EC PRIVATE KEY}, certificates with DNS subject alternative names, a CA and its CRL.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TestCertificates() {}

    /** A certificate and its key, both PEM. */
    record Issued(String certificatePem, String keyPem, X509CertificateHolder holder, KeyPair keys) {}

    /** A self-signed CA. */
    static Issued ca(String commonName) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + commonName);
        return issue(name, keys, name, keys, true, new String[0]);
    }

    /** A leaf for {@code dnsNames} (the first is also the common name), signed by {@code issuer}. */
    static Issued leaf(Issued issuer, String... dnsNames) {
        return issue(new X500Name("CN=" + dnsNames[0]), ecKeys(), issuer.holder().getSubject(), issuer.keys(), false,
                dnsNames);
    }

    /** A self-signed leaf for {@code dnsNames}. */
    static Issued selfSigned(String... dnsNames) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + dnsNames[0]);
        return issue(name, keys, name, keys, false, dnsNames);
    }

    /** A CRL of {@code issuer} revoking nothing, PEM ({@code X509 CRL}). */
    static String crl(Issued issuer) {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer.holder().getSubject(), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(7, ChronoUnit.DAYS)));
        return pem(builder.build(signer(issuer.keys())));
    }

    private static Issued issue(X500Name subject, KeyPair keys, X500Name issuerName, KeyPair issuerKeys, boolean ca,
            String[] dnsNames) {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(90, ChronoUnit.DAYS)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509CertificateHolder holder = builder.build(signer(issuerKeys));
            return new Issued(pem(holder), pem(keys.getPrivate()), holder, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ContentSigner signer(KeyPair keys) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
