package dev.portcullis.proxy.upstream;

import dev.portcullis.config.route.UpstreamTls;
import dev.portcullis.proxy.tls.PemMaterial;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Client TLS contexts for https upstreams, one per distinct {@link UpstreamTls} setting, built
 * on first use. Certificates are verified, host name included, unless {@code tls_skip_verify};
 * {@code tls_custom_ca} replaces the JDK's roots for that route.
 */
final class UpstreamTlsContexts {
    private final Map<UpstreamTls, SslContext> contexts = new ConcurrentHashMap<>();

    SslContext contextFor(UpstreamTls tls) {
        return contexts.computeIfAbsent(tls, UpstreamTlsContexts::build);
    }

    private static SslContext build(UpstreamTls tls) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (tls.skipVerify()) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                builder.endpointIdentificationAlgorithm("HTTPS");
                if (tls.customCaPem().isPresent()) {
                    builder.trustManager(PemMaterial.certificates(tls.customCaPem().get()).toArray(X509Certificate[]::new));
                }
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the upstream TLS context: " + e.getMessage(), e);
        }
    }
}
