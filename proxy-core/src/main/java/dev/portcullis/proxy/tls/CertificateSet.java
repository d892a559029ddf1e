package dev.portcullis.proxy.tls;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.Options.CertificatePair;
import dev.portcullis.config.Options.ServerOptions;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.Mapping;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the server presents, chosen by the SNI name the client sends: the first
 * certificate whose names cover it, otherwise the first certificate. Each offers ALPN
 * {@code h2} and {@code http/1.1} and the configured minimum TLS version.
 *
 * <p>With {@code downstream_mtls}, every certificate's context also asks the client for a certificate,
 * naming the configured CAs: required with {@code reject_connection} (a missing or invalid one fails the
 * handshake), optional otherwise (any is accepted in the handshake; {@link #clientCertificates()} judges it
 * afterwards, for the policy).
 */
public final class CertificateSet implements Mapping<String, ServerCertificate> {
    private static final Logger log = LoggerFactory.getLogger(CertificateSet.class);

    private final List<CertificatePair> pairs;
    private final List<ServerCertificate> certificates;
    private final boolean selfSigned;
    private final String minTlsVersion;
    private final Optional<DownstreamMtls> mtls;
    private final Optional<ClientCertificateVerifier> clientCertificates;

    private CertificateSet(List<CertificatePair> pairs, boolean selfSigned, String minTlsVersion,
            Optional<DownstreamMtls> mtls) throws GeneralSecurityException {
        this.pairs = List.copyOf(pairs);
        this.selfSigned = selfSigned;
        this.minTlsVersion = minTlsVersion;
        this.mtls = mtls;
        this.clientCertificates = mtls.isPresent()
                ? Optional.of(ClientCertificateVerifier.of(mtls.get(), Clock.systemUTC()))
                : Optional.empty();
        List<ServerCertificate> loaded = new ArrayList<>();
        for (CertificatePair pair : pairs) {
            loaded.add(load(pair, minTlsVersion, clientCertificates));
        }
        this.certificates = List.copyOf(loaded);
    }

    /**
     * Builds the set from the configured pairs, or a self-signed certificate when there are none, asking for
     * client certificates when {@code downstream_mtls} is set.
     *
     * @throws GeneralSecurityException naming the source of a certificate or key that cannot be used
     */
    public static CertificateSet from(ServerOptions server) throws GeneralSecurityException {
        return from(server, server.certificates());
    }

    /**
     * As {@link #from(ServerOptions)}, offering {@code pairs} instead of the configured
     * certificates: those configured and, after them, those {@code autocert} obtained.
     */
    public static CertificateSet from(ServerOptions server, List<CertificatePair> pairs) throws GeneralSecurityException {
        if (pairs.isEmpty()) {
            log.warn("no certificate is configured and insecure_server is off: serving a self-signed certificate "
                    + "that browsers will not trust; set certificate_file/certificate_key_file, or insecure_server: true "
                    + "when TLS ends in front of this proxy");
            SelfSignedCertificate generated = SelfSignedCertificate.generate(List.of("localhost", "*.localhost"));
            CertificatePair pair = new CertificatePair("self-signed", generated.certificatePem(), generated.keyPem());
            return new CertificateSet(List.of(pair), true, server.tlsMinVersion(), server.downstreamMtls());
        }
        return new CertificateSet(pairs, false, server.tlsMinVersion(), server.downstreamMtls());
    }

    /**
     * This set's certificates with the client certificate settings of {@code mtls}: itself when they are the
     * same, so that a generated certificate stays the one clients were shown.
     */
    public CertificateSet withClientCertificates(Optional<DownstreamMtls> mtls) throws GeneralSecurityException {
        return mtls.equals(this.mtls) ? this : new CertificateSet(pairs, selfSigned, minTlsVersion, mtls);
    }

    private static ServerCertificate load(CertificatePair pair, String minTlsVersion,
            Optional<ClientCertificateVerifier> clientCertificates) throws GeneralSecurityException {
        try {
            List<X509Certificate> chain = PemMaterial.certificates(pair.certificatePem());
            PrivateKey key = PemMaterial.privateKey(pair.keyPem());
            KeyPairCheck.requireMatch(key, chain.get(0).getPublicKey());
            SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols(protocolsFrom(minTlsVersion))
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            if (clientCertificates.isPresent()) {
                builder.trustManager(new ClientCertificateTrustManager(clientCertificates.get()))
                        .clientAuth(clientCertificates.get().rejectsConnection() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return new ServerCertificate(pair.source(), builder.build(), ServerCertificate.dnsNamesOf(chain.get(0)));
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

    /** The judge of client certificates, when {@code downstream_mtls} asks for them. */
    public Optional<ClientCertificateVerifier> clientCertificates() {
        return clientCertificates;
    }

    /** Whether this set was generated because none was configured. */
    public boolean selfSigned() {
        return selfSigned;
    }
}
