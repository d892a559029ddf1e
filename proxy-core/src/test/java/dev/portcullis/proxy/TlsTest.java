package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.proxy.testing.H2Client;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestTls.PemFiles;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a TLS client sees: the certificate chosen by SNI, ALPN, the minimum TLS version, the self-signed fallback. */
class TlsTest {
    @TempDir
    static Path dir;

    private static TestUpstream upstream;
    private static RunningProxy proxy;
    private static String certificatesYaml;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("app");
        PemFiles a = TestTls.write(dir, "a", SelfSignedCertificate.generate(List.of("a.example.test")));
        PemFiles b = TestTls.write(dir, "b", SelfSignedCertificate.generate(List.of("*.b.example.test")));
        certificatesYaml = """
                certificates:
                  - cert: %s
                    key: %s
                  - cert: %s
                    key: %s
                """.formatted(a.certificate(), a.key(), b.certificate(), b.key());
        proxy = RunningProxy.start(certificatesYaml + routes());
    }

    private static String routes() {
        return """
                routes:
                  - from: https://a.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://*.b.example.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url(), upstream.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    @Test
    void eachSniNameGetsTheCertificateThatCoversIt() throws Exception {
        assertThat(certificateNamesFor("a.example.test")).containsExactly("a.example.test");
        assertThat(certificateNamesFor("x.b.example.test")).containsExactly("*.b.example.test");
        assertThat(certificateNamesFor("X.B.Example.Test")).containsExactly("*.b.example.test");
    }

    @Test
    void aNameNoCertificateCoversGetsTheFirstCertificate() throws Exception {
        assertThat(certificateNamesFor("unknown.example.net")).containsExactly("a.example.test");
        // A wildcard covers exactly one label: neither the bare domain nor two labels deeper.
        assertThat(certificateNamesFor("b.example.test")).containsExactly("a.example.test");
        assertThat(certificateNamesFor("deep.x.b.example.test")).containsExactly("a.example.test");
        assertThat(certificateNamesFor(null)).containsExactly("a.example.test");
    }

    @Test
    void http11IsServedWhenTheClientOffersOnlyHttp11OrNoAlpnAtAll() throws Exception {
        try (SSLSocket socket = handshake(proxy.port(), "x.b.example.test", new String[] {"http/1.1"}, "TLS")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            String answer = exchange(socket, "x.b.example.test");
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"upstream\":\"app\"");
        }
        try (SSLSocket socket = handshake(proxy.port(), "a.example.test", null, "TLS")) {
            String answer = exchange(socket, "a.example.test");
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"upstream\":\"app\"");
        }
        assertThat(upstream.lastRequest().header("x-forwarded-proto")).isEqualTo("https");
    }

    @Test
    void http2IsNegotiatedWithAlpnAndServesRequests() throws Exception {
        try (H2Client client = H2Client.tls(proxy.port(), "y.b.example.test")) {
            assertThat(client.applicationProtocol()).isEqualTo("h2");
            assertThat(TestTls.dnsNames(client.peerCertificate())).containsExactly("*.b.example.test");
            H2Client.Response first = client.get("y.b.example.test", "/one");
            H2Client.Response second = client.get("y.b.example.test", "/two");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("\"upstream\":\"app\"").contains("\"path\":\"/one\"");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"path\":\"/two\"");
        }
    }

    @Test
    void tlsOlderThanTheMinimumIsRefused() throws Exception {
        byte[] answer = sendRawClientHello(proxy.port(), 0x0302, "a.example.test");
        // Either an alert record (content type 21) or a closed connection; never a ServerHello (22).
        assertThat(answer.length == 0 || answer[0] == 21)
                .as("first bytes of the answer to a TLS 1.1 ClientHello: %s", hex(answer))
                .isTrue();
        // The same hello at TLS 1.2 is answered with a handshake record, so the refusal is about the version.
        byte[] tls12 = sendRawClientHello(proxy.port(), 0x0303, "a.example.test");
        assertThat(tls12).isNotEmpty();
        assertThat(tls12[0]).as("first bytes: %s", hex(tls12)).isEqualTo((byte) 22);
        try (SSLSocket socket = handshake(proxy.port(), "a.example.test", null, "TLSv1.2")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void tlsMinVersion13RefusesTls12Clients() throws Exception {
        try (RunningProxy strict = RunningProxy.start("tls_min_version: \"1.3\"\n" + certificatesYaml + routes())) {
            assertThatThrownBy(() -> handshake(strict.port(), "a.example.test", null, "TLSv1.2").close())
                    .isInstanceOf(IOException.class);
            try (SSLSocket socket = handshake(strict.port(), "a.example.test", null, "TLSv1.3")) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(exchange(socket, "a.example.test")).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void withoutACertificateAGeneratedOneIsServedOverHttp2AndHttp11() throws Exception {
        try (RunningProxy selfSigned = RunningProxy.start("""
                insecure_server: false
                routes:
                  - from: https://127.0.0.1
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url()))) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .sslContext(TestTls.acceptingAnyServer("TLS"))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + selfSigned.port() + "/self"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).contains("\"path\":\"/self\"");
            X509Certificate presented = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(TestTls.dnsNames(presented)).contains("localhost");
            assertThat(presented.getSubjectX500Principal().getName()).contains("Portcullis self-signed");

            try (SSLSocket socket = handshake(selfSigned.port(), null, new String[] {"http/1.1"}, "TLS")) {
                assertThat(exchange(socket, "127.0.0.1")).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    private static List<String> certificateNamesFor(String sni) throws Exception {
        try (SSLSocket socket = handshake(proxy.port(), sni, null, "TLS")) {
            return TestTls.dnsNames((X509Certificate) socket.getSession().getPeerCertificates()[0]);
        }
    }

    /** A completed handshake sending {@code sni} (none when null), offering {@code alpn} (none when null). */
    private static SSLSocket handshake(int port, String sni, String[] alpn, String protocol) throws Exception {
        SSLContext context = TestTls.acceptingAnyServer(protocol);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        try {
            socket.setSoTimeout(5000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            if (alpn != null) {
                parameters.setApplicationProtocols(alpn);
            }
            if (!protocol.equals("TLS")) {
                parameters.setProtocols(new String[] {protocol});
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    /** One HTTP/1.1 request with {@code Connection: close}; the whole answer. */
    private static String exchange(SSLSocket socket, String host) throws IOException {
        socket.getOutputStream().write(("GET /tls HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends a hand-made ClientHello claiming {@code version} (0x0302 = TLS 1.1, 0x0303 = TLS 1.2) and
     * returns the first bytes of the answer. A JDK client cannot be used for TLS 1.1: the JDK refuses
     * it before sending anything.
     */
    private static byte[] sendRawClientHello(int port, int version, String sni) throws IOException {
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer extensions = ByteBuffer.allocate(512);
        extensions.putShort((short) 0x0000).putShort((short) (name.length + 5))       // server_name
                .putShort((short) (name.length + 3)).put((byte) 0).putShort((short) name.length).put(name);
        extensions.putShort((short) 0x000a).putShort((short) 6).putShort((short) 4)    // supported_groups
                .putShort((short) 0x0017).putShort((short) 0x0018);
        extensions.putShort((short) 0x000b).putShort((short) 2).put((byte) 1).put((byte) 0); // ec_point_formats
        extensions.putShort((short) 0x000d).putShort((short) 8).putShort((short) 6)    // signature_algorithms
                .putShort((short) 0x0403).putShort((short) 0x0804).putShort((short) 0x0401);
        extensions.flip();
        short[] suites = {(short) 0xc02b, (short) 0xc02f, (short) 0xc009, (short) 0xc013, 0x002f, 0x0035};

        ByteBuffer hello = ByteBuffer.allocate(1024);
        hello.putShort((short) version);
        hello.put(new byte[32]);
        hello.put((byte) 0);
        hello.putShort((short) (suites.length * 2));
        for (short suite : suites) {
            hello.putShort(suite);
        }
        hello.put((byte) 1).put((byte) 0);
        hello.putShort((short) extensions.remaining()).put(extensions);
        hello.flip();

        ByteBuffer record = ByteBuffer.allocate(1100);
        record.put((byte) 22).putShort((short) 0x0301).putShort((short) (hello.remaining() + 4));
        record.put((byte) 1).put((byte) 0).putShort((short) hello.remaining()).put(hello);
        record.flip();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(record.array(), 0, record.limit());
            socket.getOutputStream().flush();
            InputStream in = new DataInputStream(socket.getInputStream());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[5];
            try {
                for (int n; out.size() < 5 && (n = in.read(buffer, 0, 5 - out.size())) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither answered nor closed within 3 s", e);
            } catch (IOException e) {
                // A reset counts as a refusal.
            }
            return out.toByteArray();
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x ", b));
        }
        return text.toString().trim();
    }
}
