package dev.portcullis.proxy.scaleout;

import static dev.portcullis.proxy.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.metrics.Scrape;
import dev.portcullis.proxy.testing.ReplicaPair;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestPki;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How replicas reach their Redis, seen by the people signing in: a password, TLS with a private CA, a client
 * certificate; a Redis that is not there at start and comes later; what {@code /metrics} tells meanwhile; and
 * forward-auth while Redis is away. Two replicas behind a real HAProxy, a real redis-server.
 */
class SharedStoreConnectionTest {
    private static final String PASSWORD = "r3dis-Pa55word-only-redis-knows";
    private static final Duration HEALED = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private ReplicaPair pair;
    private final CapturedLog log = new CapturedLog();

    @AfterEach
    void stop() {
        if (pair != null) {
            pair.close();
        }
        log.close();
    }

    @Test
    void aPasswordProtectedRedisIsUsedAndItsPasswordIsNeverLogged() throws Exception {
        pair = ReplicaPair.start(TestRedis.startWithPassword(PASSWORD),
                "databroker_storage_connection_string: redis://:" + PASSWORD + "@REDIS/0");

        Answer signedIn = signIn(pair.browser());
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(pair.upstream.lastRequest().header("x-pomerium-jwt-assertion")).isNotBlank();
        assertThat(log.all()).contains("redis at 127.0.0.1:" + pair.redis.port()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordAnswers503WithTheSessionStorePageAndShowsThePasswordNowhere() throws Exception {
        String wrong = "wr0ng-Pa55word-typed-by-someone";
        pair = ReplicaPair.start(TestRedis.startWithPassword(PASSWORD),
                "databroker_storage_connection_string: redis://:" + wrong + "@REDIS/0");

        List<Answer> hops = new ArrayList<>();
        for (String replica : List.of("r1", "r2")) {
            pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
            hops.addAll(pair.browser().follow(pair.url("app", "/"), "X-Replica", replica));
            Answer refused = hops.get(hops.size() - 1);
            assertThat(refused.status()).as("sign-in on %s", replica).isEqualTo(503);
            assertThat(refused.body()).contains("session store").doesNotContain("Exception");
        }
        assertThat(pair.browser().get(pair.url("public", "/")).status()).isEqualTo(200);

        assertThat(hops).allSatisfy(hop -> assertThat(hop.body() + hop.headers()).doesNotContain(wrong, PASSWORD));
        assertThat(lostBecause()).contains("WRONGPASS");
        assertThat(log.all()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void tlsWithThePrivateCaWorks() throws Exception {
        Tls tls = tlsRedis(false);
        pair = ReplicaPair.start(tls.redis, tls.connection + "\ndatabroker_storage_ca_file: " + tls.caFile);

        assertThat(signIn(pair.browser()).status()).isEqualTo(200);
    }

    @Test
    void tlsWithoutThePrivateCaIsRefusedWith503() throws Exception {
        Tls tls = tlsRedis(false);
        pair = ReplicaPair.start(tls.redis, tls.connection); // the system's roots do not know the test CA

        Answer refused = signIn(pair.browser());
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("session store");
        assertThat(lostBecause()).contains("certification path");
    }

    @Test
    void tlsWithSkipVerifyWorksWithoutTheCa() throws Exception {
        Tls tls = tlsRedis(false);
        pair = ReplicaPair.start(tls.redis, tls.connection + "\ndatabroker_storage_tls_skip_verify: true");

        assertThat(signIn(pair.browser()).status()).isEqualTo(200);
    }

    @Test
    void tlsWithAClientCertificateWorksWhereRedisAsksForOne() throws Exception {
        Tls tls = tlsRedis(true);
        TestPki.Issued client = TestPki.client(tls.ca, "portcullis");
        Path certificate = Files.writeString(dir.resolve("client.pem"), client.certificatePem());
        Path key = Files.writeString(dir.resolve("client.key"), client.keyPem());
        pair = ReplicaPair.start(tls.redis, tls.connection + "\ndatabroker_storage_ca_file: " + tls.caFile
                + "\ndatabroker_storage_cert_file: " + certificate + "\ndatabroker_storage_key_file: " + key);

        assertThat(signIn(pair.browser()).status()).isEqualTo(200);
    }

    @Test
    void tlsWithoutTheClientCertificateRedisAsksForIsRefusedWith503() throws Exception {
        Tls tls = tlsRedis(true);
        pair = ReplicaPair.start(tls.redis, tls.connection + "\ndatabroker_storage_ca_file: " + tls.caFile);

        assertThat(signIn(pair.browser()).status()).isEqualTo(503);
        assertThat(lostBecause()).contains("certificate_required");
    }

    /** The reason of the first {@code session_store_lost} event. */
    private String lostBecause() {
        return log.events("session_store_lost").stream().findFirst()
                .map(event -> event.path("reason").asText()).orElse("(no session_store_lost event)");
    }

    @Test
    void redisUnreachableAtStartIsToldOnceAndSignInWorksSoonAfterItComes() throws Exception {
        pair = ReplicaPair.start(TestRedis.notStarted(), ReplicaPair.PLAIN_REDIS);

        for (String replica : List.of("r1", "r2")) {
            assertThat(pair.browser().get(pair.url("public", "/"), "X-Replica", replica).status())
                    .as("a public route on %s without Redis", replica).isEqualTo(200);
            Answer refused = signIn(pair.browser(), "X-Replica", replica);
            assertThat(refused.status()).as("sign-in on %s without Redis", replica).isEqualTo(503);
            assertThat(refused.body()).contains("session store");
        }
        // Each replica tells it once, however often it has tried since (every sign-in step, every second).
        within(HEALED, () -> log.events("session_store_lost").size(), lost -> lost >= 2);
        for (int retry = 0; retry < 3; retry++) {
            for (String replica : List.of("r1", "r2")) {
                assertThat(signIn(pair.browser(), "X-Replica", replica).status()).isEqualTo(503);
            }
        }
        assertThat(log.events("session_store_lost")).as("one per replica").hasSize(2);
        assertThat(log.events("session_store_found")).isEmpty();

        pair.redis.startAgain();
        long start = System.nanoTime();
        for (String replica : List.of("r1", "r2")) {
            Answer signedIn = within(HEALED, () -> signIn(pair.browser(), "X-Replica", replica),
                    answer -> answer.status() == 200);
            assertThat(signedIn.status()).as("sign-in on %s once Redis is there", replica).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEALED);
        within(HEALED, () -> log.events("session_store_found").size(), found -> found >= 2);
        assertThat(log.events("session_store_found")).as("one per replica").hasSize(2);
        assertThat(log.events("session_store_lost")).hasSize(2);
    }

    @Test
    void metricsShowTheStoreUpWithItsCommandsThenDownWithErrors() throws Exception {
        pair = ReplicaPair.start(TestRedis.start(), ReplicaPair.PLAIN_REDIS + "\nmetrics_address: 127.0.0.1:0");
        int metrics = pair.replica(0).server().metricsAddress().orElseThrow().getPort();

        assertThat(signIn(pair.browser(), "X-Replica", "r1").status()).isEqualTo(200);
        Scrape up = within(HEALED, () -> Scrape.of(metrics), s -> s.value("portcullis_session_store_up") == 1.0);
        assertThat(up.value("portcullis_session_store_up")).isEqualTo(1.0);
        assertThat(up.value("portcullis_session_store_command_duration_seconds_count{outcome=\"ok\"}")).isPositive();

        pair.redis.stop();
        assertThat(signIn(pair.browser(), "X-Replica", "r1").status()).isEqualTo(503);
        Scrape down = within(HEALED, () -> Scrape.of(metrics), s -> s.value("portcullis_session_store_up") == 0.0);
        assertThat(down.value("portcullis_session_store_up")).isEqualTo(0.0);
        assertThat(down.value("portcullis_session_store_command_duration_seconds_count{outcome=\"error\"}"))
                .isPositive();
    }

    @Test
    void forwardAuthSignInAnswers503WhileRedisIsAwayAndSignedInChecksStillPass() throws Exception {
        pair = ReplicaPair.start(TestRedis.start(), ReplicaPair.PLAIN_REDIS + """

                forward_auth_url: http://forwardauth.test:PORT
                xff_num_trusted_hops: 1
                """);
        String app = pair.url("app", "/");
        SignInClient alice = pair.browser();
        String cookie = cookieFrom(traefikCheck(alice, app, handOff(alice, app)));

        SignInClient later = pair.browser();
        String pendingHandOff = handOff(later, app);
        pair.redis.stop();

        for (String replica : List.of("r1", "r2")) {
            Answer allowed = traefikCheck(alice, app, app, "Cookie", "_pomerium=" + cookie, "X-Replica", replica);
            assertThat(allowed.status()).as("a signed-in check on %s without Redis", replica).isEqualTo(200);
            assertThat(allowed.header("X-Pomerium-Jwt-Assertion")).isPresent();

            Answer redeemed = traefikCheck(later, app, pendingHandOff, "X-Replica", replica);
            assertThat(redeemed.status()).as("a hand-off through forward-auth on %s without Redis", replica)
                    .isEqualTo(503);
            assertThat(redeemed.body()).contains("session store");
            assertThat(redeemed.headers("set-cookie")).noneMatch(c -> c.startsWith("_pomerium="));
        }
        SignInClient stranger = pair.browser();
        Answer start = stranger.get(forwardAuth("/?uri=" + encode(app)), traefik(app));
        assertThat(start.status()).isEqualTo(302);
        Answer fresh = lastOf(stranger.follow(start.location()));
        assertThat(fresh.status()).as("a forward-auth sign-in without Redis").isEqualTo(503);
        assertThat(fresh.body()).contains("session store");
    }

    /** Follows a forward-auth sign-in for {@code app} through the provider up to the hand-off URL, not redeemed. */
    private String handOff(SignInClient browser, String app) throws Exception {
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        Answer first = browser.get(forwardAuth("/?uri=" + encode(app)), traefik(app));
        assertThat(first.status()).isEqualTo(302);
        String next = first.location();
        for (int hop = 0; hop < 8; hop++) {
            Answer answer = browser.get(next);
            assertThat(answer.status()).as(next).isEqualTo(302);
            next = URI.create(next).resolve(answer.location()).toString();
            if (next.contains("/.pomerium/callback/")) {
                return next;
            }
        }
        throw new AssertionError("no hand-off after 8 hops");
    }

    /** What Traefik's forwardauth middleware asks (with a fixed {@code ?uri=app}) for a browser's request to {@code url}. */
    private Answer traefikCheck(SignInClient browser, String app, String url, String... more) throws Exception {
        List<String> headers = new ArrayList<>(List.of(traefik(url)));
        headers.addAll(List.of(more));
        return browser.get(forwardAuth("/?uri=" + encode(app)), headers.toArray(String[]::new));
    }

    private static String[] traefik(String url) {
        URI u = URI.create(url);
        return new String[] {"X-Forwarded-Method", "GET", "X-Forwarded-Proto", u.getScheme(),
                "X-Forwarded-Host", u.getRawAuthority(),
                "X-Forwarded-Uri", u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()),
                "X-Forwarded-For", "192.0.2.10"};
    }

    private static String cookieFrom(Answer callback) {
        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        String cookie = callback.headers("set-cookie").stream().filter(c -> c.startsWith("_pomerium="))
                .findFirst().orElseThrow();
        return cookie.substring("_pomerium=".length(), cookie.indexOf(';'));
    }

    private String forwardAuth(String path) {
        return pair.url("forwardauth", path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A Redis that speaks TLS on a port of its own (and plain on the one TestRedis checks it is up on). */
    private record Tls(TestRedis redis, String connection, TestPki.Issued ca, Path caFile) {}

    private Tls tlsRedis(boolean clientCertificates) throws Exception {
        TestPki.Issued ca = TestPki.ca("Redis test CA");
        TestPki.Issued server = TestPki.server(ca, "redis", TestPki.ip("127.0.0.1"));
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path certificate = Files.writeString(dir.resolve("redis.pem"), server.certificatePem());
        Path key = Files.writeString(dir.resolve("redis.key"), server.keyPem());
        int tlsPort = TestIdentityProvider.freePort();
        TestRedis redis = TestRedis.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                certificate.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file", caFile.toString(),
                "--tls-auth-clients", clientCertificates ? "yes" : "no");
        return new Tls(redis, "databroker_storage_connection_string: rediss://127.0.0.1:" + tlsPort, ca, caFile);
    }

    /** Alice signs in to app.test from a new browser; the answer at the end of the redirects. */
    private Answer signIn(SignInClient browser, String... headers) throws Exception {
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        return lastOf(browser.follow(pair.url("app", "/"), headers));
    }

    private static Answer lastOf(List<Answer> hops) {
        return hops.get(hops.size() - 1);
    }
}
