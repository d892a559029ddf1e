package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.H2Client;
import dev.portcullis.proxy.testing.PomeriumCliClient;
import dev.portcullis.proxy.testing.PomeriumCliClient.Tunnel;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TcpEchoServer;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestTls.PemFiles;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP routes ({@code from: tcp+https://host:port}, {@code to: tcp://host:port}) as {@code pomerium-cli tcp}
 * uses them, over TLS: the cli signs in through the proxy's programmatic login against a real OpenID
 * Connect provider, then opens the tunnel with {@code CONNECT}; a real TCP server stands behind the route.
 * The route's policy decides who may open it, and the proxy never tunnels anywhere a TCP route does not name.
 */
class TcpTunnelTest {
    @TempDir
    Path dir;

    private TcpEchoServer echo;
    private TcpEchoServer hangingUp;
    private SignInFixture fixture;
    private SignInClient browser;
    private PomeriumCliClient cli;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        echo = new TcpEchoServer();
        hangingUp = TcpEchoServer.hangingUp();
        try (ServerSocket unused = new ServerSocket(0)) {
            closedPort = unused.getLocalPort();
        }
        PemFiles tls = TestTls.write(dir, "proxy", SelfSignedCertificate.generate(
                List.of("ssh.test", "down.test", "idle.test", "bye.test", "app.test", "authenticate.test", "other.test", "public.test")));
        fixture = SignInFixture.startWithRoutes("""
                  - from: tcp+https://ssh.test:22
                    to: tcp://127.0.0.1:%1$d
                    policy:
                      - allow:
                          or:
                            - email:
                                is: alice@example.com
                  - from: tcp+https://idle.test:22
                    to: tcp://127.0.0.1:%1$d
                    idle_timeout: 300ms
                    allow_any_authenticated_user: true
                  - from: tcp+https://bye.test:22
                    to: tcp://127.0.0.1:%3$d
                    allow_any_authenticated_user: true
                  - from: tcp+https://down.test:22
                    to: tcp://127.0.0.1:%2$d
                    allow_any_authenticated_user: true
                """.formatted(echo.port(), closedPort, hangingUp.port()), """
                certificate_file: %s
                certificate_key_file: %s
                """.formatted(tls.certificate(), tls.key()));
        browser = new SignInClient(fixture.port).overTls();
        cli = new PomeriumCliClient(fixture.port, "ssh.test");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        echo.close();
        hangingUp.close();
    }

    private String signIn(String email) throws Exception {
        fixture.idp.nextUser(email.substring(0, email.indexOf('@')), email, List.of(), 3600);
        return cli.signIn(browser);
    }

    @Test
    void aSignedInUserTunnelsBytesBothWaysToTheRoutesUpstream() throws Exception {
        String token = signIn("alice@example.com");

        try (Tunnel tunnel = cli.connect("ssh.test:22", token)) {
            assertThat(tunnel.status()).isEqualTo(200);
            assertThat(tunnel.header("content-length")).as("a 200 to CONNECT has no body").isNull();
            assertThat(tunnel.header("transfer-encoding")).isNull();

            byte[] greeting = "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII);
            tunnel.write(greeting);
            assertThat(tunnel.read(greeting.length)).isEqualTo(greeting);

            // more than any socket or relay buffer holds: the pipe must pass it on with back-pressure
            byte[] bulk = new byte[4 * 1024 * 1024];
            new Random(14).nextBytes(bulk);
            Thread writer = new Thread(() -> {
                try {
                    tunnel.write(bulk);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            assertThat(tunnel.read(bulk.length)).isEqualTo(bulk);
            writer.join();
        }
        assertThat(echo.accepted()).isEqualTo(1);
        assertThat(echo.received()).as("only the client's bytes reach the upstream, no HTTP")
                .isEqualTo(21 + 4 * 1024 * 1024);
    }

    @Test
    void eitherSideClosingClosesTheOther() throws Exception {
        String token = signIn("alice@example.com");
        try (Tunnel tunnel = cli.connect("ssh.test:22", token)) {
            assertThat(tunnel.status()).isEqualTo(200);
            tunnel.write(new byte[] {1});
            assertThat(tunnel.read(1)).containsExactly(1);
            tunnel.socket().shutdownOutput();
            assertThat(echo.awaitClosedByPeer()).as("the client's end reaches the upstream").isTrue();
            assertThat(tunnel.closed()).as("and the tunnel closes").isTrue();
        }
        try (Tunnel tunnel = new PomeriumCliClient(fixture.port, "bye.test").connect("bye.test:22", token)) {
            assertThat(tunnel.status()).isEqualTo(200);
            tunnel.write(new byte[] {2});
            assertThat(tunnel.read(1)).containsExactly(2);
            assertThat(tunnel.closed()).as("the upstream's end reaches the client").isTrue();
        }
    }

    @Test
    void withoutATokenTheCliIsSentToSignIn() throws Exception {
        try (Tunnel tunnel = cli.connect("ssh.test:22", null)) {
            // 302 is what Pomerium answers a CONNECT without a session; the cli treats it (and 401) as "sign in"
            assertThat(tunnel.status()).isEqualTo(302);
            assertThat(tunnel.header("location")).startsWith("http://authenticate.test:" + fixture.port + "/.pomerium/sign_in?");
        }
        try (Tunnel tunnel = cli.connect("ssh.test:22", "not-a-token")) {
            assertThat(tunnel.status()).isIn(302, 401);
        }
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void aUserThePolicyRefusesGets403AndNothingReachesTheUpstream() throws Exception {
        String token = signIn("bob@example.com");

        try (Tunnel tunnel = cli.connect("ssh.test:22", token)) {
            assertThat(tunnel.status()).isEqualTo(403);
        }
        assertThat(echo.accepted()).isZero();
        assertThat(echo.received()).isZero();
    }

    @Test
    void theProxyIsNeverAnOpenProxy() throws Exception {
        String token = signIn("alice@example.com");

        for (String destination : List.of("ssh.test:2222", "ssh.test:" + fixture.port, "app.test:" + fixture.port,
                "authenticate.test:" + fixture.port)) {
            try (Tunnel tunnel = cli.connect(destination, token)) {
                assertThat(tunnel.status()).as(destination).isEqualTo(404);
            }
        }
        // hosts the proxy's certificate does not even cover: 421 (misdirected) before any route is looked for
        for (String destination : List.of("example.com:443", "127.0.0.1:" + echo.port())) {
            try (Tunnel tunnel = cli.connect(destination, token)) {
                assertThat(tunnel.status()).as(destination).isIn(404, 421);
            }
        }
        // a TCP route takes CONNECT only, never a plain request
        SignInClient.Answer plain = new SignInClient(fixture.port).overTls().get("https://ssh.test:22/",
                "Authorization", "Pomerium " + token);
        assertThat(plain.status()).isEqualTo(404);
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void anUnreachableUpstreamIsA502() throws Exception {
        String token = signIn("alice@example.com");

        try (Tunnel tunnel = new PomeriumCliClient(fixture.port, "down.test").connect("down.test:22", token)) {
            assertThat(tunnel.status()).isEqualTo(502);
            assertThat(tunnel.header("x-request-id")).isNotBlank();
        }
    }

    @Test
    void theRoutesIdleTimeoutClosesASilentTunnel() throws Exception {
        String token = signIn("alice@example.com");
        try (Tunnel tunnel = new PomeriumCliClient(fixture.port, "idle.test").connect("idle.test:22", token)) {
            assertThat(tunnel.status()).isEqualTo(200);
            tunnel.write(new byte[] {7});
            assertThat(tunnel.read(1)).containsExactly(7);
            // then silence both ways: the proxy closes within the client's 5 s read timeout
            assertThat(tunnel.closed()).isTrue();
        }
    }

    @Test
    void aConnectWithContentIsRefused() throws Exception {
        String token = signIn("alice@example.com");
        try (Tunnel tunnel = cli.send("CONNECT ssh.test:22 HTTP/1.1\r\nHost: ssh.test:22\r\n"
                + "Authorization: Pomerium " + token + "\r\nContent-Length: 5\r\n\r\nhello")) {
            assertThat(tunnel.status()).isEqualTo(400);
        }
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void aConnectOverHttp2IsRefused() throws Exception {
        String token = signIn("alice@example.com");
        try (H2Client h2 = H2Client.tls(fixture.port, "ssh.test")) {
            H2Client.Response answer = h2.sendHeaders(new DefaultHttp2Headers().method("CONNECT").authority("ssh.test:22")
                    .add("authorization", "Pomerium " + token));
            assertThat(answer.status()).isEqualTo(400);
        }
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void theCliSignsInOnTheRouteHostAtTheDefaultPortOnly() throws Exception {
        // pomerium-cli tcp ssh.test:22 logs in at https://ssh.test (the proxy's port 443), not at :22
        SignInClient script = new SignInClient(fixture.port).overTls().accept(null);
        String login = "/.pomerium/api/v1/login?pomerium_redirect_uri=http%3A%2F%2F127.0.0.1%3A41234";
        SignInClient.Answer answer = script.get("https://ssh.test" + login);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("http://authenticate.test:" + fixture.port + "/.pomerium/sign_in?");
        assertThat(script.get("https://ssh.test:443" + login).status()).isEqualTo(200);
        // any other port of the host is not the proxy's: no sign-in hand-off may ever go there
        assertThat(script.get("https://ssh.test:2222" + login).status()).isEqualTo(404);
    }
}
