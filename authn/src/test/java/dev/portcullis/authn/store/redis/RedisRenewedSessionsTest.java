package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.store.RenewedSessionsContractTest;
import dev.portcullis.authn.store.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RenewedSessionsContractTest} on one real Redis (two replicas, each with its own connection), and what is
 * Redis's own: the renewal due later wins a race, a value tampered with, sealed with another secret or filed under
 * another session is no renewal (not a failure), and the key expires with the session.
 */
class RedisRenewedSessionsTest extends RenewedSessionsContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String RENEWED = "portcullis:renewed:";

    @RegisterExtension
    final RedisReplicas redis = new RedisReplicas(COMMAND_TIMEOUT);

    @Override
    protected RenewedSessions onReplicaA(SessionSealer sealer) {
        return new RedisRenewedSessions(redis.replicaA(), RENEWED, sealer, Clock.systemUTC());
    }

    @Override
    protected RenewedSessions onReplicaB(SessionSealer sealer) {
        return new RedisRenewedSessions(redis.replicaB(), RENEWED, sealer, Clock.systemUTC());
    }

    @Override
    protected String stored(String sessionId) {
        return redis.raw().get(RENEWED + sessionId);
    }

    /** The value is {@code due version sealed}. */
    @Override
    protected String sealedPart(String stored) {
        return stored.substring(stored.indexOf(' ', stored.indexOf(' ') + 1) + 1);
    }

    @Override
    protected TestServer server() {
        return redis.server();
    }

    @Test
    void whenTwoReplicasRaceTheRenewalDueLaterWinsWhicheverIsStoredLast() throws Exception {
        RenewedSessions a = onReplicaA(sealer);
        RenewedSessions b = onReplicaB(sealer);
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
    void aTamperedForeignOrMisfiledValueIsNoRenewal() throws Exception {
        RenewedSessions a = onReplicaA(sealer);
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(a.remember(renewed));
        RedisCommands<String, String> commands = redis.raw();
        String key = RENEWED + renewed.sessionId();
        String stored = commands.get(key);

        // A character inside the ciphertext: the last one of a base64url value may carry only unused bits.
        int at = stored.length() - 30;
        char changed = stored.charAt(at) == 'A' ? 'B' : 'A';
        commands.set(key, stored.substring(0, at) + changed + stored.substring(at + 1));
        assertThat(answer(a.latest(renewed.sessionId()))).as("a changed character").isEmpty();

        String prefix = stored.substring(0, stored.indexOf(' ', stored.indexOf(' ') + 1) + 1);
        commands.set(key, prefix + sealer.seal(renewed, Purpose.ROUTE_SESSION));
        assertThat(answer(a.latest(renewed.sessionId()))).as("a route cookie written into Redis").isEmpty();

        commands.set(key, prefix + new SessionSealer(randomSecret()).seal(renewed, Purpose.SHARED_RENEWAL));
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
        answer(onReplicaA(sealer).remember(renewed));

        long pttl = redis.raw().pttl(RENEWED + renewed.sessionId());
        assertThat(pttl).as("ms left").isPositive()
                .isLessThanOrEqualTo(Duration.between(now, renewed.expiresAt()).toMillis());

        Session expired = new Session(Session.newSessionId(random), "idp-subject-42", null, null, List.of(), Map.of(),
                now.minus(Duration.ofHours(2)), now.minusSeconds(5), Optional.empty(), Optional.empty());
        answer(onReplicaA(sealer).remember(expired));
        assertThat(redis.raw().exists(RENEWED + expired.sessionId())).as("an expired session is not kept").isZero();
    }
}
