package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestTls.PemFiles;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes to https upstreams: verified against the route's CA and name, or not at all when told so. */
class HttpsUpstreamTest {
    @TempDir
    static Path dir;

    private static HttpsServer upstream;
    private static ExecutorService upstreamThreads;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(List.of("upstream.test"));
        PemFiles files = TestTls.write(dir, "upstream", certificate);
        String ca = Base64.getEncoder().encodeToString(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII));
        String otherCa = Base64.getEncoder().encodeToString(SelfSignedCertificate.generate(List.of("upstream.test"))
                .certificatePem().getBytes(StandardCharsets.US_ASCII));

        upstreamThreads = Executors.newCachedThreadPool();
        upstream = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        upstream.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext(certificate)));
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                // The SNI name the proxy sent, so a test can see tls_server_name used.
                ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
                String sni = session.getRequestedServerNames().stream()
                        .map(name -> ((SNIHostName) name).getAsciiName()).collect(Collectors.joining(","));
                byte[] body = ("secure sni=" + sni).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        upstream.start();
        String to = "https://127.0.0.1:" + upstream.getAddress().getPort();

        proxy = RunningProxy.start("""
                routes:
                  - from: https://skip.example.com
                    to: %1$s
                    tls_skip_verify: true
                    allow_public_unauthenticated_access: true
                  - from: https://ca.example.com
                    to: %1$s
                    tls_custom_ca: %2$s
                    tls_server_name: upstream.test
                    allow_public_unauthenticated_access: true
                  - from: https://ca-file.example.com
                    to: %1$s
                    tls_custom_ca_file: %3$s
                    tls_server_name: upstream.test
                    allow_public_unauthenticated_access: true
                  - from: https://unverifiable.example.com
                    to: %1$s
                    allow_public_unauthenticated_access: true
                  - from: https://wrong-name.example.com
                    to: %1$s
                    tls_custom_ca: %2$s
                    tls_server_name: other.test
                    allow_public_unauthenticated_access: true
                  - from: https://no-name.example.com
                    to: %1$s
                    tls_custom_ca: %2$s
                    allow_public_unauthenticated_access: true
                  - from: https://wrong-ca.example.com
                    to: %1$s
                    tls_custom_ca: %4$s
                    tls_server_name: upstream.test
                    allow_public_unauthenticated_access: true
                """.formatted(to, ca, files.certificate(), otherCa));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    @Test
    void tlsSkipVerifyAcceptsTheSelfSignedUpstream() throws Exception {
        HttpResponse<String> response = proxy.get("skip.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("secure");
    }

    @Test
    void aCustomCaAndServerNameVerifyTheUpstream() throws Exception {
        HttpResponse<String> inline = proxy.get("ca.example.com", "/");
        assertThat(inline.statusCode()).isEqualTo(200);
        assertThat(inline.body()).isEqualTo("secure sni=upstream.test");

        HttpResponse<String> fromFile = proxy.get("ca-file.example.com", "/");
        assertThat(fromFile.statusCode()).isEqualTo(200);
        assertThat(fromFile.body()).isEqualTo("secure sni=upstream.test");
    }

    @Test
    void anUpstreamCertificateThatCannotBeVerifiedGets502() throws Exception {
        assertBadGateway("unverifiable.example.com");
        assertBadGateway("wrong-ca.example.com");
    }

    @Test
    void aCertificateForAnotherNameGets502() throws Exception {
        assertBadGateway("wrong-name.example.com");
        // Without tls_server_name the name checked is the `to` host, 127.0.0.1, which the certificate does not name.
        assertBadGateway("no-name.example.com");
    }

    @Test
    void aConnectionOpenedWithoutVerificationIsNotReusedForARouteThatVerifies() throws Exception {
        assertThat(proxy.get("skip.example.com", "/").statusCode()).isEqualTo(200);
        assertBadGateway("unverifiable.example.com");
        assertThat(proxy.get("skip.example.com", "/").statusCode()).isEqualTo(200);
    }

    private static void assertBadGateway(String host) throws Exception {
        HttpResponse<String> response = proxy.get(host, "/");
        assertThat(response.statusCode()).as(host).isEqualTo(502);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).contains("Bad gateway");
    }
}
