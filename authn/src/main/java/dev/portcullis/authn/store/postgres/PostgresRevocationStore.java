package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.MemoryRevocationStore;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.LostRevocations;
import dev.portcullis.authn.store.SharedRevocationView;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.CompletionStage;

/**
 * The revocations of every replica that shares one PostgreSQL database: a session signed out on one replica is
 * refused by all of them, within the time a notification takes.
 *
 * <p><b>Writes go to PostgreSQL; reads never do.</b> {@code revoke}, {@code revokeUser} and
 * {@code revokeProviderSession} store the revocation and {@code pg_notify} it in one transaction (PostgreSQL sends
 * the notification when, and only if, the transaction commits), and complete once it is committed — or fail with
 * {@link StoreUnavailable} when it cannot be (unreachable, too slow, an error …): a sign-out that cannot be recorded
 * is not reported as done. {@code isRevoked} and {@code isUserRevoked} answer from a local view
 * ({@link SharedRevocationView}, a {@link MemoryRevocationStore} with its bound on memory), at once and without a
 * round trip: the hot path does not wait for PostgreSQL, and while it is unreachable the view answers with the
 * revocations it last saw.
 *
 * <p><b>The view is kept current</b> by the channel's notifications ({@code LISTEN}), and caught up each time the
 * channel is listened to again — at start, and after every reconnect — by reading every revocation that has not
 * ended, so revocations made by other replicas while this one was cut off are seen once it is back. Revocations only
 * ever grow (each one keeps the later of its times, in the database and in the view), so a notification and a
 * catch-up may arrive in any order. A catch-up that fails is tried again every second until one succeeds.
 *
 * <p><b>A database that lost its data never brings a revoked session back</b>: {@link PostgresDataLoss} notices, and
 * sessions issued before the loss are revoked (users sign in again, once).
 *
 * <p><b>Rows:</b> {@code {tablePrefix}revoked_sessions (scope, session_id, expires_at)}, the revocation's end, and
 * {@code {tablePrefix}revoked_users (scope, user_id, issued_before, expires_at)}; a row whose {@code expires_at} has
 * passed counts as absent, and the connection's cleanup deletes it, so nothing outlives the sessions it protects.
 * Provider session ids are session ids with {@link RevocationStore#PROVIDER_SESSION_PREFIX}. The channel is
 * {@code {tablePrefix}revoked_{scope}}, carrying {@code "session {untilMs} {id}"},
 * {@code "user {issuedBeforeMs} {untilMs} {userId}"} and {@code "lost {ms}"}.
 */
public final class PostgresRevocationStore implements RevocationStore {
    /** Rows a catch-up reads per round trip. */
    private static final int FETCH_SIZE = 1000;

    private final PostgresStoreConnection postgres;
    private final String scope;
    private final String channel;
    private final PostgresDataLoss dataLoss;
    private final SharedRevocationView view;
    private final String revokeSession;
    private final String revokeUser;
    private final String readSessions;
    private final String readUsers;

    /**
     * Listens at once (in the background: this returns even while PostgreSQL is unreachable, and the view fills once
     * it is there).
     *
     * @param postgres   the process's connection to PostgreSQL
     * @param scope      which revocations these are, e.g. {@code revoked}: lower case letters, digits and {@code _}
     * @param maxEntries the bound of the local view: session ids, and separately users (see
     *                   {@link MemoryRevocationStore})
     * @param maxSessionLifetime the longest a session lives ({@code cookie_expire}): how long a loss of the
     *                   database's data keeps the sessions issued before it revoked
     */
    public PostgresRevocationStore(PostgresStoreConnection postgres, String scope, int maxEntries,
            Duration maxSessionLifetime) {
        this(postgres, scope, maxEntries, maxSessionLifetime, Clock.systemUTC());
    }

    /** As the constructor above, with the view's time and a noticed loss's read from {@code clock} (the proxy's). */
    public PostgresRevocationStore(PostgresStoreConnection postgres, String scope, int maxEntries,
            Duration maxSessionLifetime, Clock clock) {
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = StoreScope.checked(scope);
        this.channel = postgres.schema().channel("revoked_" + scope);
        LostRevocations lost = new LostRevocations("PostgreSQL", maxSessionLifetime, clock);
        this.dataLoss = new PostgresDataLoss(postgres, scope, channel, maxSessionLifetime, lost, clock);
        this.view = new SharedRevocationView("PostgreSQL", maxEntries, lost, clock, () -> postgres.ask(this::read),
                postgres::later);
        String sessions = postgres.schema().table(PostgresSchema.REVOKED_SESSIONS);
        String users = postgres.schema().table(PostgresSchema.REVOKED_USERS);
        this.revokeSession = "INSERT INTO " + sessions + " AS revoked (scope, session_id, expires_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (scope, session_id) DO UPDATE"
                + " SET expires_at = greatest(revoked.expires_at, excluded.expires_at) RETURNING expires_at";
        this.revokeUser = "INSERT INTO " + users + " AS revoked (scope, user_id, issued_before, expires_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (scope, user_id) DO UPDATE SET"
                + " issued_before = CASE WHEN revoked.expires_at <= now() THEN excluded.issued_before"
                + " ELSE greatest(revoked.issued_before, excluded.issued_before) END,"
                + " expires_at = greatest(revoked.expires_at, excluded.expires_at)"
                + " RETURNING issued_before, expires_at";
        this.readSessions = "SELECT session_id, expires_at FROM " + sessions + " WHERE scope = ? AND expires_at > now()";
        this.readUsers = "SELECT user_id, issued_before, expires_at FROM " + users
                + " WHERE scope = ? AND expires_at > now()";
        postgres.subscribe(channel, new PostgresStoreConnection.Subscriber() {
            @Override
            public void subscribed() {
                view.subscribed(dataLoss.check());
            }

            @Override
            public void message(String payload) {
                view.apply(payload);
            }
        });
        dataLoss.checkEverySecond();
        // The database coming up after the proxy (or a new one): notice a loss before sign-ins issue sessions that the
        // loss would then revoke, rather than up to a second later.
        postgres.whenConnected(dataLoss::checkOn);
    }

    @Override
    public CompletionStage<Void> revoke(String sessionId, Instant until) {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(until, "until");
        return postgres.ask(connection -> {
            Instant stored;
            try (PreparedStatement statement = connection.prepareStatement(revokeSession)) {
                statement.setString(1, scope);
                statement.setString(2, sessionId);
                SqlInstants.set(statement, 3, until);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    stored = SqlInstants.get(row, 1);
                }
            }
            notify(connection, "session " + stored.toEpochMilli() + " " + sessionId);
            return stored;
        }).thenCompose(stored -> view.revoked(sessionId, stored));
    }

    @Override
    public CompletionStage<Boolean> isRevoked(String sessionId, Instant now) {
        return view.isRevoked(sessionId, now);
    }

    @Override
    public CompletionStage<Void> revokeUser(String userId, Instant issuedBefore, Instant until) {
        requireNonNull(userId, "userId");
        requireNonNull(issuedBefore, "issuedBefore");
        requireNonNull(until, "until");
        return postgres.ask(connection -> {
            Instant[] stored = new Instant[2];
            try (PreparedStatement statement = connection.prepareStatement(revokeUser)) {
                statement.setString(1, scope);
                statement.setString(2, userId);
                SqlInstants.set(statement, 3, issuedBefore);
                SqlInstants.set(statement, 4, until);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    stored[0] = SqlInstants.get(row, 1);
                    stored[1] = SqlInstants.get(row, 2);
                }
            }
            notify(connection, "user " + stored[0].toEpochMilli() + " " + stored[1].toEpochMilli() + " " + userId);
            return stored;
        }).thenCompose(stored -> view.revokedUser(userId, stored[0], stored[1]));
    }

    /** Also revoked when it was issued before the database lost its data (and could still be alive). */
    @Override
    public CompletionStage<Boolean> isRevoked(Session session, Instant now) {
        return view.isRevoked(session, now);
    }

    @Override
    public CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now) {
        return view.isUserRevoked(userId, issuedAt, now);
    }

    /** Sent when the transaction commits; never if it does not. */
    private void notify(Connection connection, String payload) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, channel);
            statement.setString(2, payload);
            statement.executeQuery().close();
        }
    }

    /** Every revocation that has not ended, and the loss recorded: the view's catch-up. */
    private SharedRevocationView.Snapshot read(Connection connection) throws SQLException {
        Map<String, Instant> sessions = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(readSessions)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, scope);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sessions.put(rows.getString(1), SqlInstants.get(rows, 2));
                }
            }
        }
        Map<String, SharedRevocationView.UserRevocation> users = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(readUsers)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, scope);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    users.put(rows.getString(1), new SharedRevocationView.UserRevocation(SqlInstants.get(rows, 2),
                            SqlInstants.get(rows, 3)));
                }
            }
        }
        return new SharedRevocationView.Snapshot(sessions, users, Optional.ofNullable(dataLoss.recorded(connection)));
    }
}
