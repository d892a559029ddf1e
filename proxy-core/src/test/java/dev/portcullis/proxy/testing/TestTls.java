package dev.portcullis.proxy.testing;

import dev.portcullis.proxy.tls.PemMaterial;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS material for tests: certificates written as PEM files, and clients that let the test judge the certificate. */
public final class TestTls {
    private TestTls() {}

    /** A certificate and key written to {@code dir} as {@code name.crt} and {@code name.key}. */
    public record PemFiles(Path certificate, Path key, SelfSignedCertificate generated) {}

    public static PemFiles write(Path dir, String name, SelfSignedCertificate generated) throws IOException {
        Path crt = Files.writeString(dir.resolve(name + ".crt"), generated.certificatePem());
        Path key = Files.writeString(dir.resolve(name + ".key"), generated.keyPem());
        return new PemFiles(crt, key, generated);
    }

    /**
     * A client context that accepts any server certificate and checks no host name: the tests
     * look at the certificate they were shown themselves. The trust manager is an
     * {@link X509ExtendedTrustManager}, so the JDK adds no host name check of its own.
     */
    public static SSLContext acceptingAnyServer(String protocol) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, new TrustManager[] {new AcceptAny()}, null);
        return context;
    }

    /** A trust manager that accepts any server certificate and checks no host name. */
    public static X509ExtendedTrustManager acceptingAnyServer() {
        return new AcceptAny();
    }

    /** A server context presenting {@code certificate}. */
    public static SSLContext serverContext(SelfSignedCertificate certificate) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", PemMaterial.privateKey(certificate.keyPem()), new char[0],
                PemMaterial.certificates(certificate.certificatePem()).toArray(X509Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /**
     * A TLS connection to the proxy on 127.0.0.1:{@code port}, sending {@code sni} and offering only
     * HTTP/1.1, with the handshake done; any server certificate is accepted, for the test to judge.
     */
    public static SSLSocket connect(int port, String sni) throws GeneralSecurityException, IOException {
        SSLSocket socket = (SSLSocket) acceptingAnyServer("TLS").getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        return socket;
    }

    /** The chain a new TLS connection for {@code sni} is shown, leaf first. */
    public static List<X509Certificate> servedChain(int port, String sni) throws GeneralSecurityException, IOException {
        try (SSLSocket socket = connect(port, sni)) {
            return Arrays.stream(socket.getSession().getPeerCertificates()).map(X509Certificate.class::cast).toList();
        }
    }

    /** The serial number of the certificate a new TLS connection for {@code sni} is shown. */
    public static BigInteger servedSerial(int port, String sni) throws GeneralSecurityException, IOException {
        return servedChain(port, sni).get(0).getSerialNumber();
    }

    /** The serial number of a generated certificate. */
    public static BigInteger serialOf(SelfSignedCertificate certificate) throws GeneralSecurityException {
        return PemMaterial.certificates(certificate.certificatePem()).get(0).getSerialNumber();
    }

    /** The DNS names in a certificate's subject alternative names. */
    public static List<String> dnsNames(X509Certificate certificate) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(2).equals(san.get(0))) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
        }
        return names;
    }

    private static final class AcceptAny extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
