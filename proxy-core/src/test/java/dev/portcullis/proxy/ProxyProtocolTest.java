package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portcullis.proxy.testing.RawConnection;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestHaproxy;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestTls.PemFiles;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code use_proxy_protocol}: behind a real HAProxy ({@code send-proxy}, {@code send-proxy-v2}) the client address is
 * the one HAProxy saw; without a valid header a connection is closed unanswered; with the option off a PROXY line
 * is a malformed request (400).
 */
class ProxyProtocolTest {
    private static TestUpstream upstream;
    private static RunningProxy proxy;

    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("portcullis.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level previous;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        proxy = RunningProxy.start(routes() + "use_proxy_protocol: true\n");
    }

    private static String routes() {
        return """
                routes:
                  - from: https://app.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    @BeforeEach
    void capture() {
        previous = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        lines.start();
        accessLogger.addAppender(lines);
    }

    @AfterEach
    void release() {
        accessLogger.detachAppender(lines);
        accessLogger.setLevel(previous);
    }

    @Test
    void throughHaproxyWithSendProxyTheClientIsTheAddressHaproxySaw() throws Exception {
        try (TestHaproxy haproxy = TestHaproxy.start(port -> """
                listen front
                    bind 127.0.0.1:%d
                    server portcullis 127.0.0.1:%d send-proxy
                """.formatted(port, proxy.port()))) {
            assertClientIsProxySource(haproxy.port());
        }
    }

    @Test
    void throughHaproxyWithSendProxyV2InTcpModeTheClientIsTheAddressHaproxySaw() throws Exception {
        try (TestHaproxy haproxy = TestHaproxy.start(port -> """
                listen front
                    mode tcp
                    bind 127.0.0.1:%d
                    server portcullis 127.0.0.1:%d send-proxy-v2
                """.formatted(port, proxy.port()))) {
            assertClientIsProxySource(haproxy.port());
        }
    }

    @Test
    void withTlsThePipelineAfterTheHeaderIsTls(@TempDir Path dir) throws Exception {
        PemFiles pem = TestTls.write(dir, "app", SelfSignedCertificate.generate(List.of("app.example.com")));
        try (RunningProxy tls = RunningProxy.start("""
                        certificates:
                          - cert: %s
                            key: %s
                        use_proxy_protocol: true
                        """.formatted(pem.certificate(), pem.key()) + routes());
                TestHaproxy haproxy = TestHaproxy.start(port -> """
                        listen front
                            mode tcp
                            bind 127.0.0.1:%d
                            server portcullis 127.0.0.1:%d send-proxy-v2
                        """.formatted(port, tls.port()));
                Socket plain = new Socket()) {
            plain.bind(new InetSocketAddress("127.0.0.2", 0));
            plain.connect(new InetSocketAddress("127.0.0.1", haproxy.port()), 5000);
            SSLSocket socket = (SSLSocket) TestTls.acceptingAnyServer("TLS").getSocketFactory()
                    .createSocket(plain, "app.example.com", haproxy.port(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("app.example.com")));
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /tls HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
        assertThat(upstream.lastRequest().rawPath()).isEqualTo("/tls");
        assertThat(upstream.lastRequest().header("x-forwarded-for")).isEqualTo("127.0.0.2");
    }

    /** The client connects to HAProxy from 127.0.0.2, which only the PROXY header can tell the proxy. */
    private void assertClientIsProxySource(int haproxyPort) throws Exception {
        String answer = getFrom("127.0.0.2", haproxyPort);
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(upstream.lastRequest().header("x-forwarded-for")).isEqualTo("127.0.0.2");
        assertThat(accessLines()).anySatisfy(line -> assertThat(line).contains("client=127.0.0.2"));
    }

    @Test
    void aMadeUpV1SourceIsTheClient() throws Exception {
        try (RawConnection raw = new RawConnection(proxy.port())) {
            RawConnection.Response response = raw.send("PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n"
                    + "GET /v1 HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(upstream.lastRequest().header("x-forwarded-for")).isEqualTo("203.0.113.7");
        assertThat(accessLines()).anySatisfy(line -> assertThat(line).contains("client=203.0.113.7"));
    }

    @Test
    void aLocalCommandKeepsTheSocketsPeer() throws Exception {
        byte[] localV2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00};
        try (RawConnection raw = new RawConnection(proxy.port())) {
            raw.send(localV2);
            RawConnection.Response response = raw.send("GET /local HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(upstream.lastRequest().header("x-forwarded-for")).isEqualTo("127.0.0.1");
    }

    @Test
    void aConnectionWithoutTheHeaderIsClosedUnanswered() throws Exception {
        try (RawConnection raw = new RawConnection(proxy.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: app.example.com\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n");
            assertThat(raw.closesWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithinTheReadTimeout() throws Exception {
        try (RunningProxy quick = RunningProxy.start(routes() + "use_proxy_protocol: true\ntimeout_read: 1s\n");
                RawConnection raw = new RawConnection(quick.port())) {
            assertThat(raw.closesWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void theRedirectAndMetricsListenersExpectNoHeader() throws Exception {
        try (RunningProxy listeners = RunningProxy.start(routes() + """
                use_proxy_protocol: true
                http_redirect_addr: 127.0.0.1:0
                metrics_address: 127.0.0.1:0
                """)) {
            try (RawConnection redirect = new RawConnection(listeners.server().redirectAddress().orElseThrow().getPort())) {
                RawConnection.Response response = redirect.send("GET /x HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next();
                assertThat(response.status()).isEqualTo(301);
            }
            try (RawConnection metrics = new RawConnection(listeners.server().metricsAddress().orElseThrow().getPort())) {
                RawConnection.Response response = metrics.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").next();
                assertThat(response.status()).isEqualTo(200);
            }
            try (RawConnection main = new RawConnection(listeners.port())) {
                main.send("GET /x HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
                assertThat(main.closesWithin(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @Test
    void withTheOptionOffAProxyLineIsABadRequest() throws Exception {
        try (RunningProxy off = RunningProxy.start(routes());
                RawConnection raw = new RawConnection(off.port())) {
            RawConnection.Response response = raw.send("PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n"
                    + "GET / HTTP/1.1\r\nHost: app.example.com\r\n\r\n").next();
            assertThat(response.status()).isEqualTo(400);
        }
    }

    /** A GET of {@code /} for app.example.com over a socket bound to {@code localAddress}; the whole answer. */
    private static String getFrom(String localAddress, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /via-haproxy HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private List<String> accessLines() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        while (lines.list.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        return lines.list.stream().map(e -> e.getMarkerList().get(0).toString()).toList();
    }
}
