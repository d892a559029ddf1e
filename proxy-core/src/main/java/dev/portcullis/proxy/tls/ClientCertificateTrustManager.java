package dev.portcullis.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server's trust manager for client certificates. It advertises the configured CAs in the certificate
 * request. With {@code reject_connection} it runs the {@link ClientCertificateVerifier} and throws, failing the
 * handshake, when the certificate is not valid; otherwise it accepts any chain, because the verdict is made after
 * the handshake and becomes a fact for the policy instead of a failed connection. An
 * {@link X509ExtendedTrustManager}, so the JDK adds no host name check of its own. Never trusts a server.
 */
final class ClientCertificateTrustManager extends X509ExtendedTrustManager {
    private final ClientCertificateVerifier verifier;
    private final X509Certificate[] authorities;

    ClientCertificateTrustManager(ClientCertificateVerifier verifier) {
        this.verifier = verifier;
        this.authorities = verifier.authorities().toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (verifier.rejectsConnection()) {
            ClientCertificateVerdict verdict = verifier.verify(chain);
            if (!verdict.valid()) {
                throw new CertificateException("client certificate refused: " + verdict.reason());
            }
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager judges client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities.clone();
    }
}
