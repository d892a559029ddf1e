package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two replicas of one deployment on a real PostgreSQL, for a test class's static {@code @RegisterExtension} field:
 * one {@link TestPostgres} for the class, and for each test a deployment of its own (a table prefix no other test
 * uses, so that no test sees another's rows) with replica A's and replica B's connections. Connections a test opens
 * through {@link #connection} are closed after it.
 */
final class PostgresReplicas implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final AtomicInteger deployments = new AtomicInteger();
    private final String name;
    private final Duration commandTimeout;
    private final List<PostgresStoreConnection> opened = new ArrayList<>();
    private TestPostgres postgres;
    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;

    /**
     * @param name           begins each test's table prefix, e.g. {@code single_use}
     * @param commandTimeout of the replicas' connections
     */
    PostgresReplicas(String name, Duration commandTimeout) {
        this.name = requireNonNull(name, "name");
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = TestPostgres.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        postgres.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        tablePrefix = name + "_" + deployments.incrementAndGet() + "_";
        replicaA = connection(tablePrefix, commandTimeout);
        replicaB = connection(tablePrefix, commandTimeout);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(PostgresStoreConnection::close);
        opened.clear();
    }

    /** The server. */
    TestPostgres server() {
        return postgres;
    }

    /** The table prefix of this test's deployment. */
    String tablePrefix() {
        return tablePrefix;
    }

    /** The table {@code name} of this test's deployment, e.g. {@code single_use_3_single_use}. */
    String table(String name) {
        return tablePrefix + name;
    }

    /** Replica A's connection. */
    PostgresStoreConnection replicaA() {
        return replicaA;
    }

    /** Replica B's connection. */
    PostgresStoreConnection replicaB() {
        return replicaB;
    }

    /** A connection of its own to this test's deployment, with {@code commandTimeout}. */
    PostgresStoreConnection connection(Duration commandTimeout) {
        return connection(tablePrefix, commandTimeout);
    }

    /** A connection of its own, as the superuser, to the deployment of {@code tablePrefix}. */
    PostgresStoreConnection connection(String tablePrefix, Duration commandTimeout) {
        return connection(tablePrefix, TestPostgres.USER, TestPostgres.PASSWORD, commandTimeout);
    }

    /** A connection of its own, as {@code user}, to the deployment of {@code tablePrefix}. */
    PostgresStoreConnection connection(String tablePrefix, String user, String password, Duration commandTimeout) {
        PostgresStoreConnection connection = new PostgresStoreConnection(postgres.jdbcUrl(), user, password,
                new Properties(), tablePrefix, commandTimeout, StoreObserver.NONE);
        opened.add(connection);
        return connection;
    }

    /** The rows {@code sql} selects, each its values joined by spaces (a {@code timestamptz} as an instant). */
    List<String> rows(String sql) throws Exception {
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
