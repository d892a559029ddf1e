package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, sharing renewed sessions, sealed, in one real PostgreSQL. */
class PostgresRenewedSessionsTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String REFRESH_TOKEN = "refresh-token-never-in-clear";
    private static final String ACCESS_TOKEN = "access-token-never-in-clear";
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;
    private PostgresRenewedSessions a;
    private PostgresRenewedSessions b;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void connect() {
        tablePrefix = "renewed_" + DEPLOYMENTS.incrementAndGet() + "_";
        replicaA = connection();
        replicaB = connection();
        a = new PostgresRenewedSessions(replicaA, "renewed", sealedWith((byte) 1), Clock.systemUTC());
        b = new PostgresRenewedSessions(replicaB, "renewed", sealedWith((byte) 1), Clock.systemUTC());
    }

    @AfterEach
    void disconnect() {
        replicaA.close();
        replicaB.close();
    }

    @Test
    void aSessionRenewedOnOneReplicaIsTheLatestOnTheOtherAndIsStoredSealed() throws Exception {
        Session renewed = session("sid-1", Instant.now().plusSeconds(3600));
        assertThat(answer(b.latest("sid-1"))).as("nothing renewed yet").isEmpty();

        answer(a.remember(renewed));
        assertThat(answer(b.latest("sid-1"))).as("on the other replica").contains(renewed);
        assertThat(answer(b.latest("sid-2"))).as("another session").isEmpty();

        Session again = session("sid-1", Instant.now().plusSeconds(7200));
        answer(b.remember(again));
        assertThat(answer(a.latest("sid-1"))).as("the latest renewal wins").contains(again);

        List<String> stored = rows();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).startsWith("renewed sid-1 ").doesNotContain(REFRESH_TOKEN).doesNotContain(ACCESS_TOKEN)
                .doesNotContain("alice@example.com");
    }

    @Test
    void anExpiredRenewalCountsAsAbsentAndTheCleanupDeletesIt() throws Exception {
        Instant issuedAt = Instant.now().minusSeconds(7200);
        Session expired = new Session("sid-old", "user-alice", "alice@example.com", "Alice", List.of(), null, issuedAt,
                Instant.now().minusSeconds(1), Optional.empty(), Optional.of(REFRESH_TOKEN), Optional.empty(),
                Optional.empty(), Optional.of(ACCESS_TOKEN), Optional.empty());
        answer(a.remember(expired));
        answer(a.remember(session("sid-live", Instant.now().plusSeconds(3600))));

        assertThat(answer(b.latest("sid-old"))).isEmpty();
        assertThat(answer(replicaB.deleteExpired())).isEqualTo(1);
        assertThat(rows()).singleElement().asString().startsWith("renewed sid-live ");
    }

    @Test
    void aRenewalSealedWithAnotherSecretFailsAndWhilePostgresIsStoppedSoDoesEveryCall() throws Exception {
        PostgresRenewedSessions otherSecret = new PostgresRenewedSessions(replicaB, "renewed", sealedWith((byte) 2),
                Clock.systemUTC());
        answer(a.remember(session("sid-1", Instant.now().plusSeconds(3600))));
        assertThat(unavailable(otherSecret.latest("sid-1")).getMessage()).doesNotContain(REFRESH_TOKEN);

        postgres.stop();
        try {
            unavailable(a.latest("sid-1"));
            unavailable(a.remember(session("sid-2", Instant.now().plusSeconds(3600))));
        } finally {
            postgres.startAgain();
        }
    }

    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT scope, session_id, sealed FROM " + tablePrefix
                        + "renewed_sessions")) {
            while (row.next()) {
                rows.add(row.getString(1) + " " + row.getString(2) + " " + row.getString(3));
            }
        }
        return rows;
    }

    private PostgresStoreConnection connection() {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, COMMAND_TIMEOUT, StoreObserver.NONE);
    }

    /** Seals with a cookie secret of 32 times {@code fill}, as the caller seals with its own. */
    private static OneTimeCodes.Codec<Session> sealedWith(byte fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, fill);
        SessionSealer sealer = new SessionSealer(secret);
        return new OneTimeCodes.Codec<>() {
            @Override
            public String encode(Session session) {
                return sealer.seal(session, Purpose.ROUTE_SESSION);
            }

            @Override
            public Session decode(String sealed) {
                return sealer.unseal(sealed, Purpose.ROUTE_SESSION, Instant.now())
                        .orElseThrow(() -> new IllegalArgumentException("not a session sealed with this secret"));
            }
        };
    }

    private static Session session(String sessionId, Instant expiresAt) {
        return new Session(sessionId, "user-alice", "alice@example.com", "Alice", List.of("staff"), null,
                Instant.now().minusSeconds(60), expiresAt, Optional.empty(), Optional.of(REFRESH_TOKEN),
                Optional.empty(), Optional.empty(), Optional.of(ACCESS_TOKEN), Optional.empty());
    }
}
