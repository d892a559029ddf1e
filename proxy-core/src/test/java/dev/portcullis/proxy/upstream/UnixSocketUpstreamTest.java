package dev.portcullis.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigException;
import dev.portcullis.proxy.access.PolicyGate;
import dev.portcullis.proxy.server.ProxyServer;
import dev.portcullis.proxy.transport.Transport;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestNginx;
import dev.portcullis.proxy.testing.TestPki;
import dev.portcullis.proxy.testing.TestPki.Issued;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstreams on Unix domain sockets, written as Pomerium reads them ({@code unix:///path}, {@code https+unix:///path};
 * {@code http+unix://} too): a real gunicorn bound to {@code unix:app.sock} and a real nginx serving TLS on
 * {@code listen unix:tls.sock ssl}.
 */
class UnixSocketUpstreamTest {
    private static final String APP = """
            def app(environ, start_response):
                body = ("host=%s path=%s" % (environ.get("HTTP_HOST"), environ.get("RAW_URI"))).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]
            """;

    @TempDir
    static Path dir;

    private static Process gunicorn;
    private static TestNginx nginx;
    private static RunningProxy proxy;
    private static Path appSocket;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("echo.py"), APP);
        appSocket = dir.resolve("app.sock");
        gunicorn = new ProcessBuilder("gunicorn", "--workers", "1", "--bind", "unix:" + appSocket, "echo:app")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("gunicorn.log").toFile())
                .start();
        awaitSocket(appSocket);

        Issued ca = TestPki.ca("Socket CA");
        Issued server = TestPki.client(ca, "private.test", TestPki.dns("private.test"));
        Path cert = Files.writeString(dir.resolve("server.pem"), server.certificatePem());
        Path key = Files.writeString(dir.resolve("server.key"), pkcs8(server.key()));
        Path tlsSocket = dir.resolve("tls.sock");
        nginx = TestNginx.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    listen unix:%s ssl;
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    location / {
                        default_type text/plain;
                        return 200 "tls over the socket, sni=$ssl_server_name host=$host";
                    }
                }
                """.formatted(port, tlsSocket, cert, key));

        proxy = RunningProxy.start("""
                routes:
                  - from: http://unix.example.com
                    to: unix://%1$s
                    allow_public_unauthenticated_access: true
                  - from: http://http-unix.example.com
                    to: http+unix://%1$s
                    allow_public_unauthenticated_access: true
                  - from: http://tls-unix.example.com
                    to: https+unix://%2$s
                    tls_upstream_server_name: private.test
                    tls_custom_ca: %3$s
                    allow_public_unauthenticated_access: true
                  - from: http://gone.example.com
                    to: unix://%4$s
                    allow_public_unauthenticated_access: true
                """.formatted(appSocket, tlsSocket,
                Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                dir.resolve("nothing.sock")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (gunicorn != null) {
            gunicorn.destroy();
            gunicorn.waitFor();
        }
    }

    @Test
    void plainHttpReachesGunicornOnItsSocketWithTheClientsHostAndPath() throws Exception {
        for (String host : new String[] {"unix.example.com", "http-unix.example.com"}) {
            HttpResponse<String> response = proxy.get(host, "/api/items?x=1");
            assertThat(response.statusCode()).as(host).isEqualTo(200);
            assertThat(response.body()).as(host).isEqualTo("host=" + host + " path=/api/items?x=1");
        }
    }

    @Test
    void withoutNativeEpollTheJdksUnixDomainSocketsServe() throws Exception {
        ProxyServer nio = ProxyServer.start(RunningProxy.load("""
                routes:
                  - from: http://unix.example.com
                    to: unix://%s
                    allow_public_unauthenticated_access: true
                """.formatted(appSocket), Map.of()), Transport.nio(), new PolicyGate(Clock.systemUTC()));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + nio.address().getPort() + "/nio"))
                    .header("Host", "unix.example.com").timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("host=unix.example.com path=/nio");
        } finally {
            nio.close();
        }
    }

    @Test
    void httpsOverASocketIsVerifiedAgainstTheUpstreamServerName() throws Exception {
        HttpResponse<String> response = proxy.get("tls-unix.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tls over the socket, sni=private.test host=tls-unix.example.com");
    }

    @Test
    void aMissingSocketIsA502PageWithTheRequestId() throws Exception {
        HttpResponse<String> response = proxy.get("gone.example.com", "/");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains(response.headers().firstValue("x-request-id").orElseThrow());
    }

    @Test
    void socketAndNetworkUrlsInOneRouteOrASocketWithoutPathAreProblems() {
        assertThatThrownBy(() -> RunningProxy.load("""
                routes:
                  - from: http://mixed.example.com
                    to: [unix:///run/a.sock, http://127.0.0.1:8080]
                    allow_public_unauthenticated_access: true
                  - from: http://empty.example.com
                    to: unix://
                    allow_public_unauthenticated_access: true
                """, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p.toString()).contains("routes[0].to").contains("mixes Unix socket"))
                        .anySatisfy(p -> assertThat(p.toString()).contains("routes[1].to").contains("names no socket")));
    }

    /** gunicorn creates its socket once it listens; the test has nothing to do until then. */
    private static void awaitSocket(Path socket) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!Files.exists(socket)) {
            if (!gunicorn.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("gunicorn did not listen on " + socket + ":\n"
                        + Files.readString(dir.resolve("gunicorn.log")));
            }
            Thread.sleep(20);
        }
    }

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
