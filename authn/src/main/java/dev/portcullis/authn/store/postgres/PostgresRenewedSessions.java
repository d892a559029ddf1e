package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The latest renewal of each session, shared by every replica on one PostgreSQL database: a request that still
 * carries the cookie from before a renewal gets, on any replica, the session another replica renewed.
 *
 * <p><b>Rows:</b> {@code {tablePrefix}renewed_sessions (scope, session_id, sealed, expires_at)}, one per session id,
 * holding the renewed session as the {@code codec} wrote it — the caller's codec seals it with the cookie secret, so
 * no token is stored in clear — until the renewed session expires; the latest {@link #remember} wins. An expired row
 * counts as absent, and the connection's cleanup deletes it.
 *
 * <p><b>When PostgreSQL cannot answer</b>, or a stored value cannot be unsealed (another secret, another version),
 * the stage completes with {@link StoreUnavailable}: the caller serves the session as it is (renewal is not what
 * keeps anyone out; revocation is).
 */
public final class PostgresRenewedSessions implements RenewedSessions {
    private final PostgresStoreConnection postgres;
    private final String scope;
    private final OneTimeCodes.Codec<Session> codec;
    private final Clock clock;
    private final String select;
    private final String upsert;

    /**
     * @param postgres the process's connection to PostgreSQL
     * @param scope    which renewals these are, e.g. {@code renewed}: lower case letters, digits and {@code _}
     * @param codec    seals a session into a string and back (with the cookie secret: nothing in clear)
     * @param clock    tells which sessions have expired
     */
    public PostgresRenewedSessions(PostgresStoreConnection postgres, String scope, OneTimeCodes.Codec<Session> codec,
            Clock clock) {
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = StoreScope.checked(scope);
        this.codec = requireNonNull(codec, "codec");
        this.clock = requireNonNull(clock, "clock");
        String table = postgres.schema().table(PostgresSchema.RENEWED_SESSIONS);
        this.select = "SELECT sealed FROM " + table + " WHERE scope = ? AND session_id = ? AND expires_at > now()";
        this.upsert = "INSERT INTO " + table + " (scope, session_id, sealed, expires_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (scope, session_id) DO UPDATE SET sealed = excluded.sealed,"
                + " expires_at = excluded.expires_at";
    }

    @Override
    public CompletionStage<Optional<Session>> latest(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return StoreUnavailable.asking(() -> postgres.ask(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setString(1, scope);
                statement.setString(2, sessionId);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
                }
            }
        }).thenApply(sealed -> sealed.map(codec::decode).filter(session -> !session.isExpiredAt(clock.instant()))));
    }

    @Override
    public CompletionStage<Void> remember(Session renewed) {
        requireNonNull(renewed, "renewed");
        return StoreUnavailable.asking(() -> {
            String sealed = codec.encode(renewed);
            return postgres.ask(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(upsert)) {
                    statement.setString(1, scope);
                    statement.setString(2, renewed.sessionId());
                    statement.setString(3, sealed);
                    SqlInstants.set(statement, 4, renewed.expiresAt());
                    statement.executeUpdate();
                    return null;
                }
            });
        });
    }
}
