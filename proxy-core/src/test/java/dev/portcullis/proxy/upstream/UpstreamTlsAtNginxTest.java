package dev.portcullis.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigException;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestNginx;
import dev.portcullis.proxy.testing.TestPki;
import dev.portcullis.proxy.testing.TestPki.Issued;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream TLS as Pomerium users configure it, against a real nginx that serves a certificate of a private CA for
 * {@code private.test} and requires a client certificate ({@code ssl_verify_client on}): {@code tls_client_cert} /
 * {@code tls_client_key} are presented, {@code tls_upstream_server_name} is the SNI and the verified name, and the
 * top-level {@code certificate_authority} is trusted besides the system's roots.
 */
class UpstreamTlsAtNginxTest {
    @TempDir
    static Path dir;

    private static TestNginx nginx;
    private static RunningProxy proxy;
    private static Path clientCert;
    private static Path clientKey;
    private static Path otherKey;
    private static String caBase64;
    private static String to;

    @BeforeAll
    static void start() throws Exception {
        Issued serverCa = TestPki.ca("Upstream CA");
        Issued server = TestPki.client(serverCa, "private.test", TestPki.dns("private.test"));
        Issued clientCa = TestPki.ca("Proxy clients CA");
        Issued client = TestPki.client(clientCa, "portcullis");
        Path serverCert = write("server.pem", server.certificatePem());
        Path serverKey = write("server.key", pkcs8(server.key()));
        Path clientCaFile = write("client-ca.pem", clientCa.certificatePem());
        clientCert = write("client.pem", client.certificatePem());
        clientKey = write("client.key", pkcs8(client.key()));
        otherKey = write("other.key", pkcs8(TestPki.client(clientCa, "someone else").key()));
        caBase64 = Base64.getEncoder().encodeToString(serverCa.certificatePem().getBytes(StandardCharsets.US_ASCII));

        nginx = TestNginx.start(port -> """
                server {
                    listen 127.0.0.1:%d ssl;
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    ssl_client_certificate %s;
                    ssl_verify_client on;
                    location / {
                        default_type text/plain;
                        return 200 "client=$ssl_client_s_dn sni=$ssl_server_name";
                    }
                }
                """.formatted(port, serverCert, serverKey, clientCaFile));
        to = "https://127.0.0.1:" + nginx.port();

        proxy = RunningProxy.start("""
                insecure_server: true
                certificate_authority: %2$s
                routes:
                  - from: http://mtls.example.com
                    to: %1$s
                    tls_upstream_server_name: private.test
                    tls_client_cert_file: %3$s
                    tls_client_key_file: %4$s
                    allow_public_unauthenticated_access: true
                  - from: http://inline.example.com
                    to: %1$s
                    tls_server_name: wrong.test
                    tls_upstream_server_name: private.test
                    tls_client_cert: %5$s
                    tls_client_key: %6$s
                    allow_public_unauthenticated_access: true
                  - from: http://no-cert.example.com
                    to: %1$s
                    tls_upstream_server_name: private.test
                    allow_public_unauthenticated_access: true
                  - from: http://ip-name.example.com
                    to: %1$s
                    show_error_details: true
                    tls_client_cert_file: %3$s
                    tls_client_key_file: %4$s
                    allow_public_unauthenticated_access: true
                  - from: http://custom-ca.example.com
                    to: %1$s
                    tls_upstream_server_name: private.test
                    tls_custom_ca: %7$s
                    tls_client_cert_file: %3$s
                    tls_client_key_file: %4$s
                    allow_public_unauthenticated_access: true
                """.formatted(to, caBase64, clientCert, clientKey, base64(client.certificatePem()),
                base64(pkcs8(client.key())), base64(TestPki.ca("Another CA").certificatePem())));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void theClientCertificateIsPresentedUnderTheUpstreamServerNameAndTheCertificateAuthorityIsTrusted() throws Exception {
        HttpResponse<String> response = proxy.get("mtls.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("client=CN=portcullis sni=private.test");
    }

    @Test
    void inlineBase64CertificateAndKeyWorkAndTlsUpstreamServerNameWinsOverTlsServerName() throws Exception {
        HttpResponse<String> response = proxy.get("inline.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("client=CN=portcullis sni=private.test");
    }

    @Test
    void withoutAClientCertificateNginxRefuses() throws Exception {
        HttpResponse<String> response = proxy.get("no-cert.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("No required SSL certificate was sent");
    }

    @Test
    void aCertificateForAnotherNameIsA502PageWithTheRequestId() throws Exception {
        HttpResponse<String> response = proxy.get("ip-name.example.com", "/");

        assertThat(response.statusCode()).isEqualTo(502);
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(response.body()).contains(id).doesNotContain("Exception").doesNotContain("at dev.")
                .contains("the TLS handshake with " + to + " failed: ");
    }

    @Test
    void aRouteCustomCaReplacesTheCertificateAuthority() throws Exception {
        assertThat(proxy.get("custom-ca.example.com", "/").statusCode()).isEqualTo(502);
    }

    @Test
    void withoutCertificateAuthorityThePrivateCaIsNotTrusted() throws Exception {
        try (RunningProxy plain = RunningProxy.start("""
                insecure_server: true
                routes:
                  - from: http://mtls.example.com
                    to: %s
                    tls_upstream_server_name: private.test
                    tls_client_cert_file: %s
                    tls_client_key_file: %s
                    allow_public_unauthenticated_access: true
                """.formatted(to, clientCert, clientKey))) {
            assertThat(plain.get("mtls.example.com", "/").statusCode()).isEqualTo(502);
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesRefusesToStartNamingTheOption() {
        assertThatThrownBy(() -> RunningProxy.start("""
                insecure_server: true
                routes:
                  - from: http://mtls.example.com
                    to: %s
                    tls_client_cert_file: %s
                    tls_client_key_file: %s
                    allow_public_unauthenticated_access: true
                """.formatted(to, clientCert, otherKey)).close())
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageStartingWith("routes[0].tls_client_cert_file: ");
    }

    @Test
    void anUnreadableFileOrACertificateWithoutKeyIsAConfigurationProblemAtItsPath() {
        assertThatThrownBy(() -> RunningProxy.load("""
                routes:
                  - from: http://mtls.example.com
                    to: %s
                    tls_client_cert_file: %s
                    tls_client_key_file: /nonexistent/client.key
                    allow_public_unauthenticated_access: true
                  - from: http://half.example.com
                    to: %s
                    tls_client_cert_file: %s
                    allow_public_unauthenticated_access: true
                """.formatted(to, clientCert, to, clientCert), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p.path()).isEqualTo("routes[0].tls_client_key_file"))
                        .anySatisfy(p -> assertThat(p.path() + ": " + p.message())
                                .startsWith("routes[1].tls_client_cert_file: needs tls_client_key")));
    }

    private static Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
