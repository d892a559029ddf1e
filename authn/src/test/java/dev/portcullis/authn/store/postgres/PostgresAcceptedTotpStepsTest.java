package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.AcceptedTotpSteps;
import dev.portcullis.authn.store.AcceptedTotpStepsContractTest;
import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AcceptedTotpStepsContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test
 * a deployment with a table prefix of its own), and what is PostgreSQL's own: one row per scope and user.
 */
class PostgresAcceptedTotpStepsTest extends AcceptedTotpStepsContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;
    private final List<PostgresStoreConnection> others = new ArrayList<>();

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
        tablePrefix = "totp_" + DEPLOYMENTS.incrementAndGet() + "_";
        replicaA = connection(COMMAND_TIMEOUT);
        replicaB = connection(COMMAND_TIMEOUT);
    }

    @AfterEach
    void disconnect() {
        replicaA.close();
        replicaB.close();
        others.forEach(PostgresStoreConnection::close);
    }

    @Override
    protected AcceptedTotpSteps onReplicaA() {
        return new PostgresAcceptedTotpSteps(replicaA, "totp");
    }

    @Override
    protected AcceptedTotpSteps onReplicaB() {
        return new PostgresAcceptedTotpSteps(replicaB, "totp");
    }

    @Override
    protected AcceptedTotpSteps withCommandTimeout(Duration commandTimeout) {
        PostgresStoreConnection connection = connection(commandTimeout);
        others.add(connection);
        return new PostgresAcceptedTotpSteps(connection, "totp");
    }

    @Override
    protected TestServer server() {
        return postgres;
    }

    @Test
    void theRowHoldsTheLatestStepUntilTheLaterForgetAfter() throws Exception {
        Instant later = Instant.now().plusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
        Instant earlier = later.minusSeconds(60);
        answer(onReplicaA().acceptLater("bob@example.com", STEP, later));
        answer(onReplicaB().acceptLater("bob@example.com", STEP + 1, earlier));

        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT scope, user_name, step, expires_at FROM " + tablePrefix
                        + "totp_steps")) {
            while (row.next()) {
                rows.add(row.getString(1) + " " + row.getString(2) + " " + row.getLong(3) + " " + SqlInstants.get(row, 4));
            }
        }
        assertThat(rows).containsExactly("totp bob@example.com " + (STEP + 1) + " " + later);
    }

    private PostgresStoreConnection connection(Duration commandTimeout) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, commandTimeout, StoreObserver.NONE);
    }
}
