package dev.portcullis.proxy.acme;

import static dev.portcullis.proxy.testing.WatchedProxy.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestPebble;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas with {@code autocert: true} on one real Redis, against a real Pebble: one replica orders, the challenge is
 * answered by another, and every replica serves the one certificate Pebble issued, over TLS, without a restart.
 */
@Timeout(120)
class AutocertReplicasTest {
    private static final Duration ISSUED_WITHIN = Duration.ofSeconds(45);
    private static final String NAME = "app.example.test";
    private static final Pattern NEW_ORDER = Pattern.compile("POST /order-plz");
    private static final Pattern ISSUED = Pattern.compile("Issued certificate serial ([0-9a-f]+) for order");

    @TempDir
    Path dir;

    private TestUpstream upstream;
    private TestRedis redis;
    private TestPebble pebble;
    private HeldForwarder validations;
    private RunningProxy first;
    private RunningProxy second;
    private RunningProxy third;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
    }

    @AfterEach
    void stop() {
        for (RunningProxy proxy : new RunningProxy[] {first, second, third}) {
            if (proxy != null) {
                proxy.close();
            }
        }
        if (pebble != null) {
            pebble.close();
        }
        if (validations != null) {
            validations.close();
        }
        if (redis != null) {
            redis.close();
        }
        upstream.close();
    }

    @Test
    void oneReplicaOrdersTheOtherAnswersTheChallengeAndEveryReplicaServesTheSameCertificate() throws Exception {
        redis = TestRedis.start();
        // Pebble validates HTTP-01 on this port; the test forwards it to the second replica only, once it runs.
        validations = new HeldForwarder();
        pebble = TestPebble.start(validations.port(), TestIdentityProvider.freePort(), Optional.empty());

        int firstTls = TestIdentityProvider.freePort();
        first = RunningProxy.start(config("first", firstTls, TestIdentityProvider.freePort()));
        assertThat(within(Duration.ofSeconds(20), () -> lockHeld()))
                .as("the first replica takes the issuance lock and orders").isTrue();

        int secondTls = TestIdentityProvider.freePort();
        int secondHttp = TestIdentityProvider.freePort();
        second = RunningProxy.start(config("second", secondTls, secondHttp));
        validations.forwardTo(secondHttp);

        X509Certificate root = pebble.root();
        assertThat(within(ISSUED_WITHIN, () -> chainsTo(firstTls, root) && chainsTo(secondTls, root)))
                .as("both replicas serve Pebble's certificate for " + NAME + ":\n" + pebble.logs()).isTrue();
        BigInteger served = TestTls.servedSerial(firstTls, NAME);
        assertThat(TestTls.servedSerial(secondTls, NAME)).as("the same certificate on both replicas").isEqualTo(served);
        assertThat(issuedSerials()).as("Pebble issued one certificate, the one served").containsExactly(served);
        assertThat(orders()).as("one order reached Pebble: the first replica's, validated through the second\n" + pebble.logs())
                .isEqualTo(1);
        assertThat(validations.forwarded.get())
                .as("Pebble's HTTP-01 validation reached the replica that did not order").isPositive();
        assertThat(within(Duration.ofSeconds(10), () -> !lockHeld())).as("the lock is released").isTrue();

        // A replica started later serves the stored certificate without ordering.
        int thirdTls = TestIdentityProvider.freePort();
        third = RunningProxy.start(config("third", thirdTls, TestIdentityProvider.freePort()));
        assertThat(within(Duration.ofSeconds(15), () -> chainsTo(thirdTls, root))).isTrue();
        assertThat(TestTls.servedSerial(thirdTls, NAME)).isEqualTo(served);
        assertThat(issuedSerials()).containsExactly(served);
        assertThat(orders()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("first").resolve(NAME + ".key")))
                .as("with Redis nothing is written to autocert_dir").isFalse();

        // Redis gone: every replica keeps serving the certificate it holds; a challenge lookup answers 503.
        redis.stop();
        assertThat(TestTls.servedSerial(firstTls, NAME)).isEqualTo(served);
        assertThat(TestTls.servedSerial(secondTls, NAME)).isEqualTo(served);
        assertThat(plainGet(secondHttp, "/.well-known/acme-challenge/unknownToken")).startsWith("HTTP/1.1 503");
    }

    private static String plainGet(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + NAME + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private String config(String replica, int tlsPort, int httpPort) throws IOException {
        Path trusted = Files.writeString(dir.resolve("pebble.crt"), pebble.httpsCertificatePem());
        return """
                address: 127.0.0.1:%d
                http_redirect_addr: 127.0.0.1:%d
                insecure_server: false
                autocert: true
                autocert_dir: %s
                autocert_ca: %s
                autocert_trusted_ca_file: %s
                databroker_storage_type: redis
                databroker_storage_connection_string: redis://127.0.0.1:%d/0
                routes:
                  - from: https://%s
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(tlsPort, httpPort, dir.resolve(replica), pebble.directory(), trusted, redis.port(),
                NAME, upstream.url());
    }

    private boolean lockHeld() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().exists("portcullis:autocert:lock:" + NAME) == 1;
        } finally {
            client.shutdown();
        }
    }

    /** The orders Pebble was sent ({@code POST /order-plz}, RFC 8555 §7.4 newOrder). */
    private long orders() {
        return NEW_ORDER.matcher(pebble.logs()).results().count();
    }

    private List<BigInteger> issuedSerials() {
        Matcher issued = ISSUED.matcher(pebble.logs());
        return issued.results().map(m -> new BigInteger(m.group(1), 16)).toList();
    }

    /** Whether the chain served on {@code port} for {@link #NAME} is signed, link by link, up to Pebble's root. */
    private static boolean chainsTo(int port, X509Certificate root) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = TestTls.servedChain(port, NAME);
        try {
            for (int i = 0; i + 1 < chain.size(); i++) {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            }
            chain.get(chain.size() - 1).verify(root.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A TCP forwarder whose target is set later: connections accepted before wait for it (up to 20 s), so a
     * validation that starts before the target replica runs still reaches it. Counts the connections it forwarded.
     */
    private static final class HeldForwarder implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final CompletableFuture<Integer> target = new CompletableFuture<>();
        final AtomicInteger forwarded = new AtomicInteger();

        HeldForwarder() throws IOException {
            daemon(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        void forwardTo(int port) {
            target.complete(port);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket inbound = server.accept();
                    daemon(() -> forward(inbound));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void forward(Socket inbound) {
            try (inbound; Socket outbound = new Socket(InetAddress.getLoopbackAddress(), target.get(20, TimeUnit.SECONDS))) {
                forwarded.incrementAndGet();
                Thread back = daemon(() -> pipe(outbound, inbound));
                pipe(inbound, outbound);
                back.join(10_000);
            } catch (Exception e) {
                // the validation fails, and the test says so
            }
        }

        private static Thread daemon(Runnable task) {
            Thread thread = new Thread(task, "validation-forwarder");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private static void pipe(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                to.shutdownOutput();
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
