package dev.portcullis.proxy.upstream;

import dev.portcullis.config.Options.CertificatePair;
import dev.portcullis.config.route.UpstreamTls;
import dev.portcullis.proxy.tls.KeyPairCheck;
import dev.portcullis.proxy.tls.PemMaterial;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client TLS contexts for https upstreams, one per distinct {@link UpstreamTls} setting, built on first use, with the
 * trust Pomerium's Envoy clusters have: certificates are verified, host name included, unless
 * {@code tls_skip_verify}; {@code tls_custom_ca} is then the only set of roots; otherwise the JDK's roots plus the
 * top-level {@code certificate_authority}. A {@code tls_client_cert} is presented when the upstream asks for one.
 */
final class UpstreamTlsContexts {
    private final Map<UpstreamTls, SslContext> contexts = new ConcurrentHashMap<>();

    /**
     * Builds (once) the context of {@code tls}.
     *
     * @throws GeneralSecurityException naming the YAML path of a client certificate that cannot be used (unreadable,
     *                                  or whose key does not belong to it), or roots that cannot be read
     */
    SslContext prepare(UpstreamTls tls) throws GeneralSecurityException {
        SslContext known = contexts.get(tls);
        if (known != null) {
            return known;
        }
        SslContext built = build(tls);
        SslContext raced = contexts.putIfAbsent(tls, built);
        return raced != null ? raced : built;
    }

    /** The context of {@code tls}, which {@link #prepare} has normally built already. */
    SslContext contextFor(UpstreamTls tls) {
        try {
            return prepare(tls);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static SslContext build(UpstreamTls tls) throws GeneralSecurityException {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (tls.skipVerify()) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                builder.endpointIdentificationAlgorithm("HTTPS");
                if (tls.customCaPem().isPresent()) {
                    builder.trustManager(PemMaterial.certificates(tls.customCaPem().get()).toArray(X509Certificate[]::new));
                } else if (tls.addedRootsPem().isPresent()) {
                    List<X509Certificate> roots = new ArrayList<>(systemRoots());
                    roots.addAll(PemMaterial.certificates(tls.addedRootsPem().get()));
                    builder.trustManager(roots.toArray(X509Certificate[]::new));
                }
            }
            if (tls.clientCertificate().isPresent()) {
                CertificatePair pair = tls.clientCertificate().get();
                List<X509Certificate> chain = readable(pair, () -> PemMaterial.certificates(pair.certificatePem()));
                PrivateKey key = readable(pair, () -> PemMaterial.privateKey(pair.keyPem()));
                readable(pair, () -> {
                    KeyPairCheck.requireMatch(key, chain.get(0).getPublicKey());
                    return key;
                });
                builder.keyManager(key, chain.toArray(X509Certificate[]::new));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new GeneralSecurityException("cannot build the upstream TLS context: " + e.getMessage(), e);
        }
    }

    private interface Reading<T> {
        T read() throws GeneralSecurityException;
    }

    private static <T> T readable(CertificatePair pair, Reading<T> reading) throws GeneralSecurityException {
        try {
            return reading.read();
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(pair.source() + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's default trusted roots (its {@code cacerts}). */
    private static List<X509Certificate> systemRoots() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> roots = new ArrayList<>();
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                roots.addAll(Arrays.asList(x509.getAcceptedIssuers()));
            }
        }
        return roots;
    }
}
