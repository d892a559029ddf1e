package dev.portcullis.authn.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.store.LoginThrottleContractTest;
import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
 * {@link LoginThrottleContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test a
 * deployment with a table prefix of its own), and what is PostgreSQL's own: the rows and when they expire.
 */
class PostgresLoginThrottleTest extends LoginThrottleContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String THROTTLE = "throttle";
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection connectionA;
    private PostgresStoreConnection connectionB;
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
        tablePrefix = "throttle_" + DEPLOYMENTS.incrementAndGet() + "_";
        connectionA = connection(COMMAND_TIMEOUT);
        connectionB = connection(COMMAND_TIMEOUT);
    }

    @AfterEach
    void disconnect() {
        connectionA.close();
        connectionB.close();
        others.forEach(PostgresStoreConnection::close);
    }

    @Override
    protected LoginThrottle onReplicaA() {
        return new PostgresLoginThrottle(connectionA, THROTTLE, clock);
    }

    @Override
    protected LoginThrottle onReplicaB() {
        return new PostgresLoginThrottle(connectionB, THROTTLE, clock);
    }

    @Override
    protected LoginThrottle withCommandTimeout(Duration commandTimeout) {
        PostgresStoreConnection connection = connection(commandTimeout);
        others.add(connection);
        return new PostgresLoginThrottle(connection, THROTTLE, clock);
    }

    @Override
    protected Duration inFlightLifetime() {
        return PostgresLoginThrottle.IN_FLIGHT_LIFETIME;
    }

    @Override
    protected TestServer server() {
        return postgres;
    }

    @Test
    void rowsExpireWhenTheyWouldCountForNothing() throws Exception {
        Replica a = new Replica(onReplicaA());
        fail(a, "Alice@example.com", "192.0.2.1");
        assertThat(a.begin("alice@example.com", "192.0.2.1")).isEmpty();
        Instant now = clock.instant();

        assertThat(rows("SELECT scope, who, failures, expires_at FROM " + tablePrefix + "throttle_failures"))
                .as("the window after the last failure").containsExactlyInAnyOrder(
                        "throttle account:alice@example.com 1 " + now.plus(MemoryLoginThrottle.WINDOW),
                        "throttle address:192.0.2.1 1 " + now.plus(MemoryLoginThrottle.WINDOW));
        assertThat(rows("SELECT scope, who, expires_at FROM " + tablePrefix + "throttle_attempts"))
                .containsExactlyInAnyOrder(
                        "throttle account:alice@example.com " + now.plus(PostgresLoginThrottle.IN_FLIGHT_LIFETIME),
                        "throttle address:192.0.2.1 " + now.plus(PostgresLoginThrottle.IN_FLIGHT_LIFETIME));

        a.finished("alice@example.com", "192.0.2.1");
        assertThat(rows("SELECT who FROM " + tablePrefix + "throttle_attempts")).as("no attempt in flight").isEmpty();
    }

    private PostgresStoreConnection connection(Duration commandTimeout) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, commandTimeout, StoreObserver.NONE);
    }

    private List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            int columns = row.getMetaData().getColumnCount();
            while (row.next()) {
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    values.add(row.getMetaData().getColumnTypeName(column).equals("timestamptz")
                            ? String.valueOf(SqlInstants.get(row, column)) : row.getString(column));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
