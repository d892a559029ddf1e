package dev.portcullis.proxy;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's own client certificate CA ({@code tls_downstream_client_ca[_file]}), as a TLS client sees it. Pomerium's
 * own CI protects a public route with it alone: only clients holding a certificate of that CA get through (495
 * otherwise), the other routes are untouched, and with {@code downstream_mtls} too, each route judges by its own CA.
 */
class RouteClientCaTest {
    static final Issued DEVICES = TestPki.ca("Devices CA");
    static final Issued STAFF = TestPki.ca("Staff CA");
    static final Issued DEVICE = TestPki.client(DEVICES, "nas-phone", email("phone@example.com"));
    static final Issued EMPLOYEE = TestPki.client(STAFF, "alice", email("alice@example.com"));
    static final Issued STRANGER = TestPki.client(TestPki.ca("Other CA"), "mallory", email("mallory@example.com"));

    @TempDir
    static Path dir;

    private static TestUpstream upstream;
    private static PemFiles server;
    private static Path devicesCa;
    private static Path staffCa;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("app");
        server = TestTls.write(dir, "server", SelfSignedCertificate.generate(List.of("*.example.test")));
        devicesCa = Files.writeString(dir.resolve("devices.pem"), DEVICES.certificatePem());
        staffCa = Files.writeString(dir.resolve("staff.pem"), STAFF.certificatePem());
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void aPublicRouteWithItsOwnCaAloneLetsInOnlyClientsWithACertificateOfThatCa() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(certificates() + """
                routes:
                  - from: https://devices.example.test
                    to: %1$s
                    allow_public_unauthenticated_access: true
                    tls_downstream_client_ca_file: %2$s
                  - from: https://inline.example.test
                    to: %1$s
                    allow_public_unauthenticated_access: true
                    tls_downstream_client_ca: %3$s
                  - from: https://open.example.test
                    to: %1$s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url(), devicesCa, base64(DEVICES.certificatePem())))) {
            for (String host : List.of("devices.example.test", "inline.example.test")) {
                assertThat(get(proxy, noCertificate(), host)).as(host + ", no certificate")
                        .startsWith("HTTP/1.1 495 ").contains("\"request_id\":\"");
                assertThat(get(proxy, TestPki.clientContext(STRANGER), host)).as(host + ", another CA")
                        .startsWith("HTTP/1.1 495 ");
                assertThat(get(proxy, TestPki.clientContext(DEVICE), host)).as(host + ", its CA")
                        .startsWith("HTTP/1.1 200 ").contains("\"upstream\":\"app\"");
            }
            assertThat(get(proxy, noCertificate(), "open.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(STRANGER), "open.example.test")).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void withDownstreamMtlsEachRouteJudgesByItsOwnCaOrTheGlobalOne() throws Exception {
        try (RunningProxy proxy = RunningProxy.start(certificates() + """
                downstream_mtls:
                  ca_file: %2$s
                routes:
                  - from: https://devices.example.test
                    to: %1$s
                    allow_public_unauthenticated_access: true
                    tls_downstream_client_ca_file: %3$s
                  - from: https://staff.example.test
                    to: %1$s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url(), staffCa, devicesCa))) {
            assertThat(get(proxy, TestPki.clientContext(DEVICE), "devices.example.test")).startsWith("HTTP/1.1 200 ");
            assertThat(get(proxy, TestPki.clientContext(EMPLOYEE), "devices.example.test")).startsWith("HTTP/1.1 495 ");
            assertThat(get(proxy, TestPki.clientContext(EMPLOYEE), "staff.example.test")).startsWith("HTTP/1.1 200 ");
            // The listener accepted the device's certificate for the devices route; it does not pass for staff.
            assertThat(get(proxy, TestPki.clientContext(DEVICE), "staff.example.test")).startsWith("HTTP/1.1 495 ");
            assertThat(get(proxy, noCertificate(), "staff.example.test")).startsWith("HTTP/1.1 495 ");
        }
    }

    @Test
    void aReloadThatGivesARouteItsOwnCaMakesNewConnectionsAskForCertificates() throws Exception {
        String open = certificates() + """
                routes:
                  - from: https://devices.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url());
        try (RunningProxy proxy = RunningProxy.start(open)) {
            assertThat(get(proxy, noCertificate(), "devices.example.test")).startsWith("HTTP/1.1 200 ");

            proxy.server().apply(RunningProxy.load(open + "    tls_downstream_client_ca_file: " + devicesCa + "\n",
                    java.util.Map.of()));

            assertThat(get(proxy, noCertificate(), "devices.example.test")).startsWith("HTTP/1.1 495 ");
            assertThat(get(proxy, TestPki.clientContext(DEVICE), "devices.example.test")).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void withoutTlsToTheProxyNoCertificateCanBeShownSoTheRouteRefuses() throws Exception {
        try (RunningProxy proxy = RunningProxy.start("""
                insecure_server: true
                routes:
                  - from: http://devices.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                    tls_downstream_client_ca_file: %s
                """.formatted(upstream.url(), devicesCa))) {
            assertThat(proxy.get("devices.example.test", "/").statusCode()).isEqualTo(495);
        }
    }

    private static String certificates() {
        return """
                certificates:
                  - cert: %s
                    key: %s
                """.formatted(server.certificate(), server.key());
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static SSLContext noCertificate() throws Exception {
        return TestTls.acceptingAnyServer("TLS");
    }

    /** One HTTP/1.1 request over a new TLS connection to {@code host}; the whole answer, or nothing when it failed. */
    private static String get(RunningProxy proxy, SSLContext context, String host) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
            return "";
        }
    }
}
