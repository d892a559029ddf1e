package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's generic provider (any {@code http}/{@code https} directory URL), whose HTTP client trusts
 * only the given CA certificates for the ACME server's own HTTPS ({@code autocert_trusted_ca}),
 * instead of the JDK's trust store. Everything else is as acme4j's default client: redirects
 * followed, its connect timeout and proxy settings.
 */
final class TrustingAcmeProvider extends GenericAcmeProvider {
    private final SSLContext sslContext;

    private TrustingAcmeProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    /** A provider trusting the certificates in {@code trustedCaPem} (one or more PEM blocks). */
    static TrustingAcmeProvider trusting(String trustedCaPem) throws GeneralSecurityException {
        requireNonNull(trustedCaPem, "trustedCaPem");
        List<X509Certificate> anchors;
        try {
            anchors = CertificateStore.certificates(trustedCaPem);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("autocert trusted CA: not PEM certificates (" + e.getMessage() + ")", e);
        }
        if (anchors.isEmpty()) {
            throw new GeneralSecurityException("autocert trusted CA: no certificate found (expected: PEM \"BEGIN CERTIFICATE\" blocks)");
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("ca-" + i, anchors.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new TrustingAcmeProvider(context);
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector())
                .sslContext(sslContext);
        if (settings.getAuthenticator() != null) {
            builder.authenticator(settings.getAuthenticator());
        }
        return builder.build();
    }
}
