package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tables of the PostgreSQL stores, all named {@code {tablePrefix}{name}}, and what is done to all of them: create
 * them when missing, delete the rows that expired.
 *
 * <p>Every table but {@code epochs} has the store's {@code scope} (which store of a deployment a row belongs to,
 * e.g. {@code handoff}) in its primary key and an {@code expires_at} after which the row counts as absent — the
 * moment what it protects expires — with an index on it for {@link #deleteExpired}. {@code epochs} holds one row per
 * revocation scope that lives as long as the deployment (see {@link PostgresDataLoss}); its {@code lost_before}
 * expires at its own {@code expires_at}.
 */
final class PostgresSchema {
    /** Short enough that every table, index and channel name stays within PostgreSQL's 63 bytes. */
    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,23}");

    static final String SINGLE_USE = "single_use";
    static final String ONE_TIME_CODES = "one_time_codes";
    static final String TOTP_STEPS = "totp_steps";
    static final String THROTTLE_FAILURES = "throttle_failures";
    static final String THROTTLE_ATTEMPTS = "throttle_attempts";
    static final String REVOKED_SESSIONS = "revoked_sessions";
    static final String REVOKED_USERS = "revoked_users";
    static final String RENEWED_SESSIONS = "renewed_sessions";
    static final String EPOCHS = "epochs";

    /** Each table's columns after {@code scope}, before {@code expires_at}; and its primary key after scope. */
    private record Table(String name, String columns, String key) {}

    private static final List<Table> EXPIRING = List.of(
            new Table(SINGLE_USE, "id text NOT NULL", "id"),
            new Table(ONE_TIME_CODES, "code text NOT NULL, value text NOT NULL", "code"),
            new Table(TOTP_STEPS, "user_name text NOT NULL, step bigint NOT NULL", "user_name"),
            new Table(THROTTLE_FAILURES, "who text NOT NULL, failures integer NOT NULL, last_failure timestamptz NOT NULL,"
                    + " locked_until timestamptz", "who"),
            new Table(THROTTLE_ATTEMPTS, "who text NOT NULL, attempt text NOT NULL", "who, attempt"),
            new Table(REVOKED_SESSIONS, "session_id text NOT NULL", "session_id"),
            new Table(REVOKED_USERS, "user_id text NOT NULL, issued_before timestamptz NOT NULL", "user_id"),
            new Table(RENEWED_SESSIONS, "session_id text NOT NULL, sealed text NOT NULL", "session_id"));

    private final String tablePrefix;

    /** @param tablePrefix put before every table's name, e.g. {@code portcullis_}: lower case letters, digits, {@code _} */
    PostgresSchema(String tablePrefix) {
        requireNonNull(tablePrefix, "tablePrefix");
        if (!TABLE_PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("tablePrefix: \"" + tablePrefix
                    + "\" (expected: 1 to 24 lower case letters, digits or _, not starting with a digit)");
        }
        this.tablePrefix = tablePrefix;
    }

    /** The full name of table {@code name}, one of this class's constants (safe to put into SQL as it is). */
    String table(String name) {
        return tablePrefix + name;
    }

    /** The name of a notification channel of this deployment, e.g. {@code portcullis_revoked_default}. */
    String channel(String name) {
        return tablePrefix + name;
    }

    /** Creates every table and index that is missing ({@code IF NOT EXISTS}), in the connection's transaction. */
    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (Table table : EXPIRING) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table(table.name()) + " (scope text NOT NULL, "
                        + table.columns() + ", expires_at timestamptz NOT NULL, PRIMARY KEY (scope, " + table.key()
                        + "))");
                statement.execute("CREATE INDEX IF NOT EXISTS " + table(table.name()) + "_expires_at ON "
                        + table(table.name()) + " (expires_at)");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS " + table(EPOCHS) + " (scope text PRIMARY KEY,"
                    + " epoch text NOT NULL, lost_before timestamptz, expires_at timestamptz)");
        }
    }

    /** Deletes every row that expired (and forgets a data loss whose sessions have expired); returns how many. */
    int deleteExpired(Connection connection) throws SQLException {
        int deleted = 0;
        try (Statement statement = connection.createStatement()) {
            for (Table table : EXPIRING) {
                deleted += statement.executeUpdate("DELETE FROM " + table(table.name()) + " WHERE expires_at <= now()");
            }
            deleted += statement.executeUpdate("UPDATE " + table(EPOCHS)
                    + " SET lost_before = NULL, expires_at = NULL WHERE expires_at <= now()");
        }
        return deleted;
    }
}
