package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, sharing the renewals of sessions in one real Redis. */
class RedisRenewedSessionsTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String RENEWED = "portcullis:renewed:";
    private static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.id-token-payload.signature";
    private static final String ACCESS_TOKEN = "access-token-0123456789abcdef";
    private static final String REFRESH_TOKEN = "refresh-token-fedcba9876543210";

    private final SecureRandom random = new SecureRandom();
    private final byte[] cookieSecret = new byte[32];
    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;
    private RedisClient rawClient;
    private StatefulRedisConnection<String, String> raw;

    @BeforeEach
    void start() throws Exception {
        random.nextBytes(cookieSecret);
        redis = TestRedis.start();
        replicaA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        replicaB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect();
    }

    @AfterEach
    void stop() {
        raw.close();
        rawClient.shutdown();
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void aRenewalRememberedOnOneReplicaIsTheLatestOnTheOther() throws Exception {
        RedisRenewedSessions a = renewals(replicaA);
        RedisRenewedSessions b = renewals(replicaB);
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));

        answer(a.remember(renewed));

        assertThat(answer(b.latest(renewed.sessionId()))).as("read on the other replica, tokens and all")
                .contains(renewed);
        assertThat(answer(b.latest(renewed.sessionId())).orElseThrow().accessToken()).contains(ACCESS_TOKEN);
        assertThat(answer(a.latest(Session.newSessionId(random)))).as("a session never renewed").isEmpty();
    }

    @Test
    void whenTwoReplicasRaceTheRenewalDueLaterWinsWhicheverIsStoredLast() throws Exception {
        RedisRenewedSessions a = renewals(replicaA);
        RedisRenewedSessions b = renewals(replicaB);
        String id = Session.newSessionId(random);
        Session earlier = session(id, Duration.ofHours(1));
        Session later = session(id, Duration.ofHours(2));

        answer(a.remember(later));
        answer(b.remember(earlier));
        assertThat(answer(a.latest(id))).as("the earlier renewal, stored last, does not replace the later")
                .contains(later);

        Session evenLater = session(id, Duration.ofHours(3));
        answer(b.remember(evenLater));
        assertThat(answer(a.latest(id))).contains(evenLater);
    }

    @Test
    void redisHoldsTheRenewalSealedNeverATokenOrClaimInClear() throws Exception {
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(renewals(replicaA).remember(renewed));

        String stored = raw.sync().get(RENEWED + renewed.sessionId());
        assertThat(stored).isNotNull()
                .doesNotContain(ID_TOKEN).doesNotContain(ACCESS_TOKEN).doesNotContain(REFRESH_TOKEN)
                .doesNotContain("ada@example.com").doesNotContain("admins").doesNotContain("engineering")
                .doesNotContain("idp-subject-42");
        String sealed = stored.substring(stored.indexOf(' ', stored.indexOf(' ') + 1) + 1);
        SessionSealer sealer = new SessionSealer(cookieSecret);
        Instant now = Instant.now();
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, now)).as("not a route cookie").isEmpty();
        assertThat(sealer.unseal(sealed, Purpose.AUTHENTICATE_SESSION, now)).as("nor the authenticate one").isEmpty();
    }

    @Test
    void aTamperedForeignOrMisfiledValueIsNoRenewal() throws Exception {
        RedisRenewedSessions a = renewals(replicaA);
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(a.remember(renewed));
        RedisCommands<String, String> commands = raw.sync();
        String key = RENEWED + renewed.sessionId();
        String stored = commands.get(key);

        // A character inside the ciphertext: the last one of a base64url value may carry only unused bits.
        int at = stored.length() - 30;
        char changed = stored.charAt(at) == 'A' ? 'B' : 'A';
        commands.set(key, stored.substring(0, at) + changed + stored.substring(at + 1));
        assertThat(answer(a.latest(renewed.sessionId()))).as("a changed character").isEmpty();

        String prefix = stored.substring(0, stored.indexOf(' ', stored.indexOf(' ') + 1) + 1);
        commands.set(key, prefix + new SessionSealer(cookieSecret).seal(renewed, Purpose.ROUTE_SESSION));
        assertThat(answer(a.latest(renewed.sessionId()))).as("a route cookie written into Redis").isEmpty();

        byte[] otherSecret = new byte[32];
        random.nextBytes(otherSecret);
        commands.set(key, prefix + new SessionSealer(otherSecret).seal(renewed, Purpose.SHARED_RENEWAL));
        assertThat(answer(a.latest(renewed.sessionId()))).as("sealed with another cookie secret").isEmpty();

        Session other = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(a.remember(other));
        commands.set(key, commands.get(RENEWED + other.sessionId()));
        assertThat(answer(a.latest(renewed.sessionId()))).as("another session's renewal filed under this one")
                .isEmpty();

        commands.set(key, "not a stored renewal");
        assertThat(answer(a.latest(renewed.sessionId()))).isEmpty();
        answer(a.remember(renewed));
        assertThat(answer(a.latest(renewed.sessionId()))).as("an unreadable value is replaced").contains(renewed);
    }

    @Test
    void theKeyExpiresWithTheSessionItRenews() throws Exception {
        Instant now = Instant.now();
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(renewals(replicaA).remember(renewed));

        long pttl = raw.sync().pttl(RENEWED + renewed.sessionId());
        assertThat(pttl).as("ms left").isPositive()
                .isLessThanOrEqualTo(Duration.between(now, renewed.expiresAt()).toMillis());

        Session expired = new Session(Session.newSessionId(random), "idp-subject-42", null, null, List.of(), Map.of(),
                now.minus(Duration.ofHours(2)), now.minusSeconds(5), Optional.empty(), Optional.empty());
        answer(renewals(replicaA).remember(expired));
        assertThat(raw.sync().exists(RENEWED + expired.sessionId())).as("an expired session is not kept").isZero();
        assertThat(answer(renewals(replicaB).latest(expired.sessionId()))).isEmpty();
    }

    @Test
    void whileRedisIsStoppedBothCallsFailWithStoreUnavailable() throws Exception {
        RedisRenewedSessions a = renewals(replicaA);
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(a.remember(renewed));

        redis.stop();
        assertThat(unavailable(a.latest(renewed.sessionId())).getMessage()).doesNotContain(renewed.sessionId());
        assertThat(unavailable(a.remember(renewed)).getMessage()).doesNotContain(renewed.sessionId());
    }

    private RedisRenewedSessions renewals(RedisStoreConnection connection) {
        return new RedisRenewedSessions(connection, RENEWED, new SessionSealer(cookieSecret), Clock.systemUTC());
    }

    /** Ada's session, signed in an hour ago for 14 hours, renewed so that its next renewal is due {@code dueIn}. */
    private static Session session(String sessionId, Duration dueIn) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new Session(sessionId, "idp-subject-42", "ada@example.com", "Ada", List.of("admins"),
                Map.of("department", "engineering"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(13)),
                Optional.of(ID_TOKEN), Optional.of(REFRESH_TOKEN), Optional.of(now.plus(dueIn)),
                Optional.of("provider-sid"), Optional.of(ACCESS_TOKEN));
    }
}
