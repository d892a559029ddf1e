package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of shared {@link RenewedSessions}, run against a real server by each store's subclass: replicas with
 * connections of their own, sealing with the same cookie secret, share the renewals of sessions in one store, and
 * <ul>
 *   <li>a renewal remembered on one replica is the latest on every other, tokens and all; a later renewal replaces
 *       it; a session never renewed has none;</li>
 *   <li>the server holds the renewal sealed for {@link Purpose#SHARED_RENEWAL}: never a token or claim in clear, and
 *       never a value that opens as a cookie;</li>
 *   <li>a renewal of a session that has expired counts as absent;</li>
 *   <li>while the server is stopped both calls fail with {@link StoreUnavailable}, without the session id.</li>
 * </ul>
 * Which of two racing renewals wins, what a value sealed with another secret or tampered with answers, and how
 * renewals are kept (keys, rows) differ between the stores and are each subclass's own.
 */
public abstract class RenewedSessionsContractTest {
    protected static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.id-token-payload.signature";
    protected static final String ACCESS_TOKEN = "access-token-0123456789abcdef";
    protected static final String REFRESH_TOKEN = "refresh-token-fedcba9876543210";

    protected final SecureRandom random = new SecureRandom();
    /** The cookie secret every replica of a test shares. */
    protected final byte[] cookieSecret = randomSecret();
    protected final SessionSealer sealer = new SessionSealer(cookieSecret);

    /** The store under test on replica A (a connection of its own), sealing with {@code sealer}. */
    protected abstract RenewedSessions onReplicaA(SessionSealer sealer);

    /** The same store on replica B, with another connection. */
    protected abstract RenewedSessions onReplicaB(SessionSealer sealer);

    /** What the server holds for {@code sessionId}, as the store wrote it; null when nothing. */
    protected abstract String stored(String sessionId) throws Exception;

    /** The sealed session within what the store wrote (which may carry more, such as when it is due). */
    protected abstract String sealedPart(String stored);

    /** The server the replicas share, which the tests stop and start again. */
    protected abstract TestServer server();

    @Test
    void aRenewalRememberedOnOneReplicaIsTheLatestOnTheOther() throws Exception {
        RenewedSessions a = onReplicaA(sealer);
        RenewedSessions b = onReplicaB(sealer);
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        assertThat(answer(b.latest(renewed.sessionId()))).as("nothing renewed yet").isEmpty();

        answer(a.remember(renewed));

        assertThat(answer(b.latest(renewed.sessionId()))).as("read on the other replica, tokens and all")
                .contains(renewed);
        assertThat(answer(b.latest(renewed.sessionId())).orElseThrow().accessToken()).contains(ACCESS_TOKEN);
        assertThat(answer(a.latest(Session.newSessionId(random)))).as("a session never renewed").isEmpty();
    }

    @Test
    void aLaterRenewalReplacesTheEarlierOnEveryReplica() throws Exception {
        RenewedSessions a = onReplicaA(sealer);
        RenewedSessions b = onReplicaB(sealer);
        String id = Session.newSessionId(random);
        answer(a.remember(session(id, Duration.ofHours(1))));

        Session again = session(id, Duration.ofHours(2));
        answer(b.remember(again));
        assertThat(answer(a.latest(id))).as("the latest renewal wins").contains(again);
        assertThat(answer(b.latest(id))).contains(again);
    }

    @Test
    void theServerHoldsTheRenewalSealedNeverATokenOrClaimInClear() throws Exception {
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(onReplicaA(sealer).remember(renewed));

        String stored = stored(renewed.sessionId());
        assertThat(stored).isNotNull()
                .doesNotContain(ID_TOKEN).doesNotContain(ACCESS_TOKEN).doesNotContain(REFRESH_TOKEN)
                .doesNotContain("ada@example.com").doesNotContain("admins").doesNotContain("engineering")
                .doesNotContain("idp-subject-42");
        String sealed = sealedPart(stored);
        Instant now = Instant.now();
        assertThat(sealer.unseal(sealed, Purpose.SHARED_RENEWAL, now)).as("sealed for sharing renewals")
                .contains(renewed);
        assertThat(sealer.unseal(sealed, Purpose.ROUTE_SESSION, now)).as("not a route cookie").isEmpty();
        assertThat(sealer.unseal(sealed, Purpose.AUTHENTICATE_SESSION, now)).as("nor the authenticate one").isEmpty();
    }

    @Test
    void aRenewalOfASessionThatHasExpiredCountsAsAbsent() throws Exception {
        Instant now = Instant.now();
        Session expired = new Session(Session.newSessionId(random), "idp-subject-42", null, null, List.of(), Map.of(),
                now.minus(Duration.ofHours(2)), now.minusSeconds(5), Optional.empty(), Optional.empty());
        answer(onReplicaA(sealer).remember(expired));

        assertThat(answer(onReplicaB(sealer).latest(expired.sessionId()))).isEmpty();
        assertThat(answer(onReplicaA(sealer).latest(expired.sessionId()))).isEmpty();
    }

    @Test
    void whileTheServerIsStoppedBothCallsFailWithStoreUnavailable() throws Exception {
        RenewedSessions a = onReplicaA(sealer);
        Session renewed = session(Session.newSessionId(random), Duration.ofHours(1));
        answer(a.remember(renewed));

        server().stop();
        try {
            assertThat(unavailable(a.latest(renewed.sessionId())).getMessage()).doesNotContain(renewed.sessionId());
            assertThat(unavailable(a.remember(renewed)).getMessage()).doesNotContain(renewed.sessionId());
        } finally {
            server().startAgain();
        }
    }

    /** A cookie secret of 32 random bytes. */
    protected byte[] randomSecret() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return secret;
    }

    /** Ada's session, signed in an hour ago for 14 hours, renewed so that its next renewal is due {@code dueIn}. */
    protected static Session session(String sessionId, Duration dueIn) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new Session(sessionId, "idp-subject-42", "ada@example.com", "Ada", List.of("admins"),
                Map.of("department", "engineering"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(13)),
                Optional.of(ID_TOKEN), Optional.of(REFRESH_TOKEN), Optional.of(now.plus(dueIn)),
                Optional.of("provider-sid"), Optional.of(ACCESS_TOKEN));
    }
}
