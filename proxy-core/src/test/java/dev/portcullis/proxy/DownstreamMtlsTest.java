package dev.portcullis.proxy;

import static dev.portcullis.proxy.testing.TestPki.dns;
import static dev.portcullis.proxy.testing.TestPki.email;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestPki;
import dev.portcullis.proxy.testing.TestPki.Issued;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestTls.PemFiles;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code downstream_mtls} as a TLS client sees it, in each enforcement mode: which handshakes fail, which requests
 * are refused with 495, and what the route's policy sees of the certificate.
 */
class DownstreamMtlsTest {
    static final Issued ROOT = TestPki.ca("Devices CA");
    static final Issued INTERMEDIATE = TestPki.intermediate(ROOT, "Devices Intermediate");
    static final Issued OTHER = TestPki.ca("Other CA");
    static final Issued ALICE = TestPki.client(ROOT, "alice", email("alice@example.com"), dns("alice.devices.example.test"));
    static final Issued BOB = TestPki.client(ROOT, "bob", email("bob@example.com"));
    static final Issued STRANGER = TestPki.client(OTHER, "mallory", email("mallory@example.com"));
    static final Issued EXPIRED = TestPki.client(ROOT, "old", Instant.now().minus(Duration.ofDays(30)),
            Instant.now().minus(Duration.ofDays(1)), email("old@example.com"));
    static final Issued REVOKED = TestPki.client(ROOT, "lost", email("lost@example.com"));
    static final Issued WRONG_NAME = TestPki.client(ROOT, "eve", email("eve@evil.test"));
    static final Issued TOO_DEEP = TestPki.client(INTERMEDIATE, "deep", email("deep@example.com"));

    @TempDir
    static Path dir;

    private static TestUpstream upstream;
    private static PemFiles server;
    private static Path ca;
    private static Path crl;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("app");
        server = TestTls.write(dir, "server", SelfSignedCertificate.generate(List.of("*.example.test")));
        ca = Files.writeString(dir.resolve("ca.pem"), ROOT.certificatePem());
        crl = Files.writeString(dir.resolve("ca.crl"), TestPki.crl(ROOT, REVOKED));
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void rejectConnectionFailsTheHandshakeOfClientsWithoutAValidCertificate() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(config("reject_connection"))) {
            assertThat(get(proxy, noCertificate(), "public.example.test")).as("no certificate").isEmpty();
            for (Issued invalid : List.of(STRANGER, EXPIRED, REVOKED, WRONG_NAME, TOO_DEEP)) {
                assertThat(get(proxy, TestPki.clientContext(invalid), "public.example.test"))
                        .as(invalid.certificate().getSubjectX500Principal().getName()).isEmpty();
            }
            assertThat(get(proxy, TestPki.clientContext(ALICE), "public.example.test"))
                    .startsWith("HTTP/1.1 200 ").contains("\"upstream\":\"app\"");
        }
    }

    @Test
    void policyWithDefaultDenyRefusesRequestsWithoutAValidCertificateEvenOnPublicRoutes() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(config("policy_with_default_deny"))) {
            String missing = get(proxy, noCertificate(), "public.example.test");
            assertThat(missing).startsWith("HTTP/1.1 495 ").contains("\"error\":\"client_certificate_required\"")
                    .contains("\"request_id\":\"");
            for (Issued invalid : List.of(STRANGER, EXPIRED, REVOKED, WRONG_NAME, TOO_DEEP)) {
                assertThat(get(proxy, TestPki.clientContext(invalid), "public.example.test"))
                        .as(invalid.certificate().getSubjectX500Principal().getName()).startsWith("HTTP/1.1 495 ");
            }
            // With a valid certificate, the route's policy decides.
            assertThat(get(proxy, TestPki.clientContext(ALICE), "public.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(ALICE), "device.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(BOB), "device.example.test")).startsWith("HTTP/1.1 403 ");
        }
    }

    @Test
    void policyLetsTheRouteDecide() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(config("policy"))) {
            assertThat(get(proxy, noCertificate(), "public.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(STRANGER), "public.example.test")).startsWith("HTTP/1.1 200 ");

            // client_certificate: only the certificate with that fingerprint; another is forbidden, none is 495.
            assertThat(get(proxy, TestPki.clientContext(ALICE), "device.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(BOB), "device.example.test")).startsWith("HTTP/1.1 403 ")
                    .contains("client-certificate-unauthorized");
            assertThat(get(proxy, noCertificate(), "device.example.test")).startsWith("HTTP/1.1 495 ");

            // deny: invalid_client_certificate.
            assertThat(get(proxy, TestPki.clientContext(ALICE), "guarded.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(BOB), "guarded.example.test")).startsWith("HTTP/1.1 200 ");
            for (Issued invalid : List.of(STRANGER, EXPIRED, REVOKED, WRONG_NAME, TOO_DEEP)) {
                assertThat(get(proxy, TestPki.clientContext(invalid), "guarded.example.test"))
                        .as(invalid.certificate().getSubjectX500Principal().getName())
                        .startsWith("HTTP/1.1 495 ").contains("\"request_id\":\"");
            }
            assertThat(get(proxy, noCertificate(), "guarded.example.test")).startsWith("HTTP/1.1 495 ");
        }
    }

    @Test
    void http2StreamsSeeTheCertificateOfTheirConnection() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(config("policy") + """
                  - from: https://127.0.0.1
                    to: %s
                    policy:
                      - allow:
                          and:
                            - client_certificate:
                                fingerprint: %s
                """.formatted(upstream.url(), ALICE.fingerprint()))) {
            assertThat(h2Status(proxy, TestPki.clientContext(ALICE))).isEqualTo(200);
            assertThat(h2Status(proxy, TestPki.clientContext(BOB))).isEqualTo(403);
            assertThat(h2Status(proxy, noCertificate())).isEqualTo(495);
        }
    }

    @Test
    void setRequestHeadersSubstituteTheClientCertificateAsPomeriumDoes() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(config("policy") + """
                  - from: https://cert.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                    set_request_headers:
                      X-Client-Fingerprint: ${pomerium.client_cert_fingerprint}
                      X-Client-Dns: ${pomerium.client_cert_san_dns}
                      X-Client-Email: $pomerium.client_cert_san_email
                """.formatted(upstream.url()))) {
            assertThat(get(proxy, TestPki.clientContext(ALICE), "cert.example.test")).startsWith("HTTP/1.1 200 ");
            TestUpstream.Recorded seen = upstream.lastRequest();
            assertThat(seen.header("X-Client-Fingerprint")).isEqualTo(ALICE.fingerprint()).matches("[0-9a-f]{64}");
            assertThat(seen.header("X-Client-Dns")).isEqualTo("alice.devices.example.test");
            assertThat(seen.header("X-Client-Email")).isEqualTo("alice@example.com");

            assertThat(get(proxy, noCertificate(), "cert.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(upstream.lastRequest().header("X-Client-Fingerprint")).isEmpty();
        }
    }

    @Test
    void aReloadThatAddsACaMakesNewConnectionsAskForCertificates() throws Exception {
        String withoutMtls = certificates() + routes();
        try (RunningProxy proxy = RunningProxy.start(withoutMtls)) {
            assertThat(get(proxy, noCertificate(), "public.example.test")).startsWith("HTTP/1.1 200 ");

            proxy.server().apply(RunningProxy.load(config("policy_with_default_deny"), Map.of()));

            assertThat(get(proxy, noCertificate(), "public.example.test")).startsWith("HTTP/1.1 495 ");
            assertThat(get(proxy, TestPki.clientContext(ALICE), "public.example.test")).startsWith("HTTP/1.1 200 ");

            proxy.server().apply(RunningProxy.load(config("reject_connection"), Map.of()));
            assertThat(get(proxy, noCertificate(), "public.example.test")).isEmpty();

            proxy.server().apply(RunningProxy.load(withoutMtls, Map.of()));
            assertThat(get(proxy, noCertificate(), "public.example.test")).startsWith("HTTP/1.1 200 ");
        }
    }

    private static String config(String enforcement) throws Exception {
        return certificates() + """
                downstream_mtls:
                  ca_file: %s
                  crl_file: %s
                  enforcement: %s
                  match_subject_alt_names:
                    email: '.*@example\\.com'
                """.formatted(ca, crl, enforcement) + routes();
    }

    private static String certificates() {
        return """
                certificates:
                  - cert: %s
                    key: %s
                """.formatted(server.certificate(), server.key());
    }

    private static String routes() throws Exception {
        return """
                routes:
                  - from: https://public.example.test
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://device.example.test
                    to: %1$s
                    policy:
                      - allow:
                          and:
                            - client_certificate:
                                fingerprint: %2$s
                  - from: https://guarded.example.test
                    to: %1$s
                    policy:
                      - allow:
                          or:
                            - accept: true
                        deny:
                          or:
                            - invalid_client_certificate: true
                """.formatted(upstream.url(), ALICE.fingerprint());
    }

    private static SSLContext noCertificate() throws Exception {
        return TestTls.acceptingAnyServer("TLS");
    }

    /**
     * One HTTP/1.1 request over a new TLS connection to {@code host}; the whole answer, or nothing when the
     * handshake or the connection failed (with TLS 1.3 a client learns that its certificate was refused only
     * when it reads).
     */
    private static String get(RunningProxy proxy, SSLContext context, String host) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(("GET /mtls HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
            return "";
        }
    }

    private static int h2Status(RunningProxy proxy, SSLContext context) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + proxy.port() + "/h2")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        return response.statusCode();
    }
}
