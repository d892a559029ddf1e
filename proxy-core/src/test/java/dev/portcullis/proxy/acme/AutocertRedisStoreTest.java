package dev.portcullis.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.store.redis.RedisAutocertStore;
import dev.portcullis.authn.store.redis.RedisStoreConnection;
import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.config.Autocert;
import dev.portcullis.proxy.testing.TestPebble;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AutocertService}s sharing a real Redis ({@link RedisCertificateStore}) against a real Pebble: a renewal is
 * ordered once for all of them, and while Redis is unreachable nothing is ordered, until it is back.
 */
@Timeout(90)
class AutocertRedisStoreTest {
    private static final Pattern ISSUED = Pattern.compile("Issued certificate serial ([0-9a-f]+) for order");
    private static final AutocertService.Timing FAST = new AutocertService.Timing(RenewalPolicy.DEFAULT,
            new Backoff(Duration.ofMillis(200), Duration.ofMillis(800)), Clock.systemUTC(), Duration.ofMillis(200),
            Duration.ofMillis(200));

    @TempDir
    Path temp;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void replicasRenewOnceAndServeTheRenewedCertificateTogether() throws Exception {
        TestRedis redis = open(TestRedis.start());
        RedisStoreConnection connection = open(new RedisStoreConnection(redis.uri(), Duration.ofSeconds(2)));
        RedisAutocertStore shared = new RedisAutocertStore(connection, "portcullis:");
        ChallengeResponses firstResponses = ChallengeResponses.shared(shared, Clock.systemUTC());
        ChallengeResponses secondResponses = ChallengeResponses.shared(shared, Clock.systemUTC());
        // Pebble validates on the first replica's responder, whichever replica orders: the second one's answers
        // reach it through Redis (the responder looks up what it does not hold).
        ChallengeResponders responders = open(new ChallengeResponders(firstResponses));
        TestPebble pebble = open(TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.of(Duration.ofSeconds(9))));
        AutocertService first = open(service(pebble, shared, firstResponses));
        AutocertService second = open(service(pebble, shared, secondResponses));

        first.update(Set.of("renew.example.com"));
        second.update(Set.of("renew.example.com"));
        await(() -> served(first).isPresent() && served(first).equals(served(second)), pebble);
        BigInteger issued = served(first).orElseThrow();
        // Renewed at two thirds of its 9 s: both replicas come to serve the one renewed certificate.
        await(() -> served(first).filter(s -> !s.equals(issued)).isPresent() && served(first).equals(served(second)), pebble);
        BigInteger renewed = served(first).orElseThrow();
        first.close();
        second.close();

        assertThat(issuedSerials(pebble)).as("one order per certificate, for both replicas").containsExactly(issued, renewed);
    }

    @Test
    void whileRedisIsUnreachableNothingIsOrderedAndTheOrderFollowsOnceItIsBack() throws Exception {
        TestRedis redis = open(TestRedis.notStarted());
        AtomicInteger failures = new AtomicInteger();
        RedisStoreConnection connection = open(new RedisStoreConnection(redis.uri(), Optional.empty(),
                Duration.ofMillis(500), new StoreObserver() {
                    @Override
                    public void answered(long nanos) {}

                    @Override
                    public void failed(long nanos, StoreUnavailable failure) {
                        failures.incrementAndGet();
                    }
                }));
        RedisAutocertStore shared = new RedisAutocertStore(connection, "portcullis:");
        ChallengeResponses responses = ChallengeResponses.shared(shared, Clock.systemUTC());
        ChallengeResponders responders = open(new ChallengeResponders(responses));
        TestPebble pebble = open(TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.empty()));
        AutocertService service = open(service(pebble, shared, responses));

        service.update(Set.of("outage.example.com"));
        await(() -> failures.get() >= 5, pebble);
        assertThat(service.certificates()).isEmpty();
        assertThat(issuedSerials(pebble)).as("no order without the lock").isEmpty();
        assertThat(responders.http01Answers.get()).isZero();

        redis.startAgain();
        await(() -> service.certificates().size() == 1, pebble);
        assertThat(issuedSerials(pebble)).hasSize(1);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> direct = client.connect()) {
            assertThat(direct.sync().get("portcullis:autocert:certificate:outage.example.com"))
                    .as("stored in Redis: a private key, then the chain")
                    .startsWith("-----BEGIN PRIVATE KEY-----").contains("-----BEGIN CERTIFICATE-----");
            assertThat(direct.sync().exists("portcullis:autocert:lock:outage.example.com")).as("lock released").isZero();
        } finally {
            client.shutdown();
        }
    }

    private AutocertService service(TestPebble pebble, RedisAutocertStore shared, ChallengeResponses responses) {
        Autocert settings = new Autocert(true, temp.resolve("unused"), pebble.directory(), Optional.of("admin@example.com"),
                false, Optional.empty(), Optional.of(pebble.httpsCertificatePem()));
        RedisCertificateStore store = new RedisCertificateStore(shared, AutocertService.LOCK_LIFETIME, Clock.systemUTC());
        return new AutocertService(store, new CertificateIssuer(settings, store, responses, Set.of(ChallengeType.HTTP_01),
                Duration.ofSeconds(20)), FAST, list -> {});
    }

    /** The serial of the certificate {@code service} serves; empty before it has one. */
    private static Optional<BigInteger> served(AutocertService service) {
        return service.certificates().stream().findFirst().map(AutocertRedisStoreTest::serial);
    }

    private static BigInteger serial(IssuedCertificate certificate) {
        try {
            return CertificateStore.certificates(certificate.chainPem()).get(0).getSerialNumber();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static List<BigInteger> issuedSerials(TestPebble pebble) {
        return ISSUED.matcher(pebble.logs()).results().map(m -> new BigInteger(m.group(1), 16)).toList();
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private static void await(BooleanSupplier condition, TestPebble pebble) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s; Pebble says:\n" + pebble.logs());
            }
            Thread.sleep(20);
        }
    }
}
