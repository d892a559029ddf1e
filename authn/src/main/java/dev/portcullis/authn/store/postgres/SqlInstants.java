package dev.portcullis.authn.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants in {@code timestamptz} columns: microseconds (PostgreSQL keeps no finer), always UTC. An instant before
 * PostgreSQL's range (4713 BC) is stored as its earliest, which has passed all the same.
 */
final class SqlInstants {
    private static final Instant EARLIEST = OffsetDateTime.of(-4712, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();

    private SqlInstants() {}

    static void set(PreparedStatement statement, int index, Instant instant) throws SQLException {
        Instant stored = instant.isBefore(EARLIEST) ? EARLIEST : instant.truncatedTo(ChronoUnit.MICROS);
        statement.setObject(index, OffsetDateTime.ofInstant(stored, ZoneOffset.UTC));
    }

    /** The instant in column {@code index}, or null when it is SQL NULL. */
    static Instant get(ResultSet row, int index) throws SQLException {
        OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
