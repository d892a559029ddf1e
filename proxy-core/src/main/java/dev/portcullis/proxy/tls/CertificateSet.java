package dev.portcullis.proxy.tls;

import dev.portcullis.config.Options.CertificatePair;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.Mapping;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the server presents, chosen by the SNI name the client sends: the first
 * certificate whose names cover it, otherwise the first certificate. Each offers ALPN
 * {@code h2} and {@code http/1.1} and the configured minimum TLS version.
 */
public final class CertificateSet implements Mapping<String, ServerCertificate> {
    private static final Logger log = LoggerFactory.getLogger(CertificateSet.class);

    private final List<ServerCertificate> certificates;
    private final boolean selfSigned;

    private CertificateSet(List<ServerCertificate> certificates, boolean selfSigned) {
        this.certificates = List.copyOf(certificates);
        this.selfSigned = selfSigned;
    }

    /**
     * Builds the set from the configured pairs, or a self-signed certificate when there are none.
     *
     * @throws GeneralSecurityException naming the source of a certificate or key that cannot be used
     */
    public static CertificateSet from(List<CertificatePair> pairs, String minTlsVersion) throws GeneralSecurityException {
        if (pairs.isEmpty()) {
            log.warn("no certificate is configured and insecure_server is off: serving a self-signed certificate "
                    + "that browsers will not trust; set certificate_file/certificate_key_file, or insecure_server: true "
                    + "when TLS ends in front of this proxy");
            SelfSignedCertificate generated = SelfSignedCertificate.generate(List.of("localhost", "*.localhost"));
            CertificatePair pair = new CertificatePair("self-signed", generated.certificatePem(), generated.keyPem());
            return new CertificateSet(List.of(load(pair, minTlsVersion)), true);
        }
        List<ServerCertificate> loaded = new ArrayList<>();
        for (CertificatePair pair : pairs) {
            loaded.add(load(pair, minTlsVersion));
        }
        return new CertificateSet(loaded, false);
    }

    private static ServerCertificate load(CertificatePair pair, String minTlsVersion) throws GeneralSecurityException {
        try {
            List<X509Certificate> chain = PemMaterial.certificates(pair.certificatePem());
            PrivateKey key = PemMaterial.privateKey(pair.keyPem());
            KeyPairCheck.requireMatch(key, chain.get(0).getPublicKey());
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols(protocolsFrom(minTlsVersion))
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
            return new ServerCertificate(pair.source(), context, ServerCertificate.dnsNamesOf(chain.get(0)));
        } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
            throw new GeneralSecurityException(pair.source() + ": " + e.getMessage(), e);
        }
    }

    private static String[] protocolsFrom(String minTlsVersion) {
        return "TLSv1.3".equals(minTlsVersion) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"};
    }

    /** The certificate for an SNI name; {@code null} or unknown names get the first one. */
    @Override
    public ServerCertificate map(String sniHostName) {
        if (sniHostName != null) {
            String host = sniHostName.toLowerCase(Locale.ROOT);
            for (ServerCertificate certificate : certificates) {
                if (certificate.covers(host)) {
                    return certificate;
                }
            }
        }
        return certificates.get(0);
    }

    /** Whether this set was generated because none was configured. */
    public boolean selfSigned() {
        return selfSigned;
    }
}
