package dev.portcullis.proxy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A small PKI for client certificate tests: CAs, intermediates, client certificates and CRLs, made with Bouncy Castle. */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private TestPki() {}

    /**
     * A certificate with its key.
     *
     * @param chain what a client sends: the certificate, then the intermediates above it (not the root)
     */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain, boolean root) {
        public String certificatePem() {
            return pem(certificate);
        }

        /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as OpenSSL and Netty both read it. */
        public String keyPem() {
            return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
        }

        /** SHA-256 of the DER, in hex. */
        public String fingerprint() throws GeneralSecurityException {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
    }

    /** A self-signed root CA. */
    public static Issued ca(String name) {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate certificate = build(subject, keys, subject, keys.getPrivate(), true, now().minus(Duration.ofDays(1)),
                now().plus(Duration.ofDays(30)), null);
        return new Issued(certificate, keys.getPrivate(), List.of(certificate), true);
    }

    /** An intermediate CA issued by {@code issuer}. */
    public static Issued intermediate(Issued issuer, String name) {
        KeyPair keys = keys();
        X509Certificate certificate = build(new X500Name("CN=" + name), keys, name(issuer), issuer.key(), true,
                now().minus(Duration.ofDays(1)), now().plus(Duration.ofDays(30)), null);
        return new Issued(certificate, keys.getPrivate(), chainOf(certificate, issuer), false);
    }

    /** A client certificate valid from yesterday for 30 days, with these subject alternative names. */
    public static Issued client(Issued issuer, String name, GeneralName... names) {
        return client(issuer, name, now().minus(Duration.ofDays(1)), now().plus(Duration.ofDays(30)), names);
    }

    /** A client certificate valid from {@code notBefore} to {@code notAfter}. */
    public static Issued client(Issued issuer, String name, Instant notBefore, Instant notAfter, GeneralName... names) {
        KeyPair keys = keys();
        X509Certificate certificate = build(new X500Name("CN=" + name), keys, name(issuer), issuer.key(), false,
                notBefore, notAfter, names.length == 0 ? null : new GeneralNames(names));
        return new Issued(certificate, keys.getPrivate(), chainOf(certificate, issuer), false);
    }

    /**
     * A server certificate for these names (e.g. {@link #ip}), valid from yesterday for 30 days: the same profile as a
     * client's (an EC key for digital signatures, no extended key usage), which TLS servers accept as well.
     */
    public static Issued server(Issued issuer, String name, GeneralName... names) {
        return client(issuer, name, names);
    }

    public static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    public static GeneralName email(String address) {
        return new GeneralName(GeneralName.rfc822Name, address);
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    /** A Microsoft user principal name (otherName 1.3.6.1.4.1.311.20.2.3). */
    public static GeneralName userPrincipalName(String upn) {
        return new GeneralName(GeneralName.otherName, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), new DERTaggedObject(true, 0, new DERUTF8String(upn))}));
    }

    /** A CRL of {@code ca}, current for a day, revoking {@code revoked}. */
    public static String crl(Issued ca, Issued... revoked) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(name(ca), Date.from(now().minus(Duration.ofHours(1))));
            builder.setNextUpdate(Date.from(now().plus(Duration.ofDays(1))));
            for (Issued r : revoked) {
                builder.addCRLEntry(r.certificate().getSerialNumber(), Date.from(now().minus(Duration.ofMinutes(30))),
                        CRLReason.keyCompromise);
            }
            return pem(new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key()))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM of one or more certificates or CRLs. */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** A client context that presents {@code client}'s chain whatever CAs the server names, and trusts any server. */
    public static SSLContext clientContext(Issued client) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new FixedKeyManager(client)}, new TrustManager[] {TestTls.acceptingAnyServer()}, null);
        return context;
    }

    private static List<X509Certificate> chainOf(X509Certificate certificate, Issued issuer) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        if (!issuer.root()) {
            chain.addAll(issuer.chain());
        }
        return chain;
    }

    private static X500Name name(Issued issued) {
        return X500Name.getInstance(issued.certificate().getSubjectX500Principal().getEncoded());
    }

    private static Instant now() {
        return Instant.now();
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey signer, boolean ca,
            Instant notBefore, Instant notAfter, GeneralNames names) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature));
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Presents one chain, whatever the server asks for. */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final Issued client;

        FixedKeyManager(Issued client) {
            this.client = client;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return client.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return client.key();
        }
    }
}
