package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.store.RenewedSessionsContractTest;
import dev.portcullis.authn.store.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RenewedSessionsContractTest} on one real PostgreSQL (two replicas, each with its own connection, sealing as
 * the proxy does with {@link SealedRenewals}; each test a deployment with a table prefix of its own), and what is
 * PostgreSQL's own: rows and their cleanup, and a renewal sealed with another secret fails (Redis's is no renewal).
 */
class PostgresRenewedSessionsTest extends RenewedSessionsContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final PostgresReplicas postgres = new PostgresReplicas("renewed", COMMAND_TIMEOUT);

    @Override
    protected RenewedSessions onReplicaA(SessionSealer sealer) {
        return renewals(postgres.replicaA(), sealer);
    }

    @Override
    protected RenewedSessions onReplicaB(SessionSealer sealer) {
        return renewals(postgres.replicaB(), sealer);
    }

    @Override
    protected String stored(String sessionId) throws Exception {
        List<String> sealed = postgres.rows("SELECT sealed FROM " + postgres.table("renewed_sessions")
                + " WHERE session_id = '" + sessionId + "'");
        return sealed.isEmpty() ? null : sealed.get(0);
    }

    /** The row's {@code sealed} is the sealed session alone. */
    @Override
    protected String sealedPart(String stored) {
        return stored;
    }

    @Override
    protected TestServer server() {
        return postgres.server();
    }

    @Test
    void anExpiredRenewalCountsAsAbsentAndTheCleanupDeletesIt() throws Exception {
        Instant now = Instant.now();
        Session expired = new Session("sid-old", "idp-subject-42", null, null, List.of(), Map.of(),
                now.minus(Duration.ofHours(2)), now.minusSeconds(1), Optional.empty(), Optional.empty());
        RenewedSessions a = onReplicaA(sealer);
        answer(a.remember(expired));
        answer(a.remember(session("sid-live", Duration.ofHours(1))));
        answer(onReplicaB(sealer).remember(session("sid-live", Duration.ofHours(2))));

        assertThat(answer(onReplicaB(sealer).latest("sid-old"))).isEmpty();
        assertThat(answer(postgres.replicaB().deleteExpired())).isEqualTo(1);
        assertThat(postgres.rows("SELECT scope, session_id FROM " + postgres.table("renewed_sessions")))
                .as("one row per scope and session id").containsExactly("renewed sid-live");
    }

    @Test
    void aRenewalSealedWithAnotherSecretFails() throws Exception {
        answer(onReplicaA(sealer).remember(session("sid-1", Duration.ofHours(1))));
        RenewedSessions otherSecret = onReplicaB(new SessionSealer(randomSecret()));
        assertThat(unavailable(otherSecret.latest("sid-1")).getMessage()).doesNotContain(REFRESH_TOKEN);
    }

    private static RenewedSessions renewals(PostgresStoreConnection connection, SessionSealer sealer) {
        return new PostgresRenewedSessions(connection, "renewed", new SealedRenewals(sealer, Clock.systemUTC()),
                Clock.systemUTC());
    }
}
