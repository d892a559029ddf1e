package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.session.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import dev.portcullis.authn.store.LostRevocations;
import dev.portcullis.authn.store.SharedRevocationView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL lost the revocations it held, and since when: the sessions issued before then are revoked.
 *
 * <p><b>A database that lost its data never brings a revoked session back.</b> A running replica's view keeps what
 * it saw whatever happens to the database; the danger is a replica that starts (or restarts) afterwards and reads
 * empty tables. So each replica records a random epoch (a row of {@code {tablePrefix}epochs}) when it first finds
 * none, and compares it every second and after every reconnect: when the epoch is missing or not the one it knew —
 * tables truncated or dropped, a database restored from an old backup or recreated, a failover to a standby that
 * was not in sync — the first replica to notice records the moment in the row's {@code lost_before} (kept, by its
 * {@code expires_at}, for {@code maxSessionLifetime}) and notifies it, says so in one log line, and every replica,
 * including those started later, then treats every session issued before that moment as revoked (by the session's
 * {@code issuedAt}). <b>What users see:</b> within about a second of such a loss, everyone who was signed in is sent
 * to sign in again, once (and so is anyone who signed in during that second, since {@code issuedAt} has whole
 * seconds). Clocks matter: a replica whose clock runs behind the one that noticed may keep sessions it issued just
 * before the loss. Not covered: the data lost while no replica that knew the epoch is running, which no replica can
 * tell from a new database.
 *
 * <p>The epoch row is the one row without an expiry (one per deployment). A check that fails (PostgreSQL
 * unreachable) changes nothing and is made again a second later. Thread-safe.
 */
final class PostgresDataLoss {
    /** What {@link PostgresRevocationStore}'s channel carries when a loss is noticed, before the instant in epoch ms. */
    static final String MESSAGE = SharedRevocationView.LOST_MESSAGE;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDataLoss.class);
    /** How soon a loss that breaks no connection ({@code TRUNCATE}) is noticed. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final PostgresStoreConnection postgres;
    private final String scope;
    private final String channel;
    private final Duration maxSessionLifetime;
    private final String recordEpoch;
    private final String readEpoch;
    private final String declareLoss;
    private final String readLoss;
    /** The epoch this replica saw last; null before its first check. */
    private volatile String knownEpoch;
    private final Clock clock;
    private final LostRevocations lost;
    /** Taken here, so that the generator is seeded on the thread that builds the store. */
    private final SecureRandom random = NonBlockingRandom.get();

    /**
     * @param channel            where a noticed loss is notified
     * @param maxSessionLifetime the longest a session lives ({@code cookie_expire}): how long a loss keeps the
     *                           sessions issued before it revoked
     */
    PostgresDataLoss(PostgresStoreConnection postgres, String scope, String channel, Duration maxSessionLifetime,
            LostRevocations lost, Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        this.lost = requireNonNull(lost, "lost");
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = requireNonNull(scope, "scope");
        this.channel = requireNonNull(channel, "channel");
        this.maxSessionLifetime = requireNonNull(maxSessionLifetime, "maxSessionLifetime");
        String table = postgres.schema().table(PostgresSchema.EPOCHS);
        this.recordEpoch = "INSERT INTO " + table + " (scope, epoch) VALUES (?, ?) ON CONFLICT (scope) DO NOTHING";
        this.readEpoch = "SELECT epoch, CASE WHEN expires_at > now() THEN lost_before END FROM " + table
                + " WHERE scope = ? FOR UPDATE";
        this.declareLoss = "UPDATE " + table + " SET lost_before = ?, expires_at = ? WHERE scope = ?";
        this.readLoss = "SELECT lost_before FROM " + table + " WHERE scope = ? AND expires_at > now()";
    }

    /** Checks a second from now, and every second after, for as long as the connection is open. */
    void checkEverySecond() {
        postgres.later(CHECK_INTERVAL, () -> {
            check();
            checkEverySecond();
        });
    }

    /**
     * Compares the database's epoch with the one this replica knew: a missing or another epoch means the database
     * lost its data, and with it revocations that replicas starting from now could not see; the first replica to
     * notice records when, and every replica then revokes the sessions issued before. A check that fails is simply
     * made again a second later.
     */
    CompletionStage<Void> check() {
        return postgres.ask(this::checkOn);
    }

    /**
     * The same check, in a transaction of the caller's on {@code connection}: run when a connection is opened,
     * before the command that opened it, so that a database coming up after the proxy is found new (or emptied)
     * before a sign-in issues a session that the loss would then revoke.
     */
    Void checkOn(Connection connection) throws SQLException {
        String known = knownEpoch;
        // Milliseconds, as the notification carries it: every replica then holds the very same instant (and logs once).
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] fresh = new byte[16];
        random.nextBytes(fresh);
        Seen seen = compare(connection, known, HexFormat.of().formatHex(fresh), now);
        knownEpoch = seen.epoch();
        if (seen.lostBefore() != null) {
            noticedAt(seen.lostBefore());
        }
        return null;
    }

    /** The epoch found, and when a loss was noticed (null: none that still matters). */
    private record Seen(String epoch, Instant lostBefore) {}

    private Seen compare(Connection connection, String known, String newEpoch, Instant now) throws SQLException {
        boolean created;
        try (PreparedStatement statement = connection.prepareStatement(recordEpoch)) {
            statement.setString(1, scope);
            statement.setString(2, newEpoch);
            created = statement.executeUpdate() == 1;
        }
        String current;
        Instant lost;
        try (PreparedStatement statement = connection.prepareStatement(readEpoch)) {
            statement.setString(1, scope);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                current = row.getString(1);
                lost = SqlInstants.get(row, 2);
            }
        }
        // No epoch (a new database, or one that lost its data: the two cannot be told apart), or another one than
        // this replica knew with no loss declared yet.
        if (created || known != null && !current.equals(known) && lost == null) {
            lost = now;
            try (PreparedStatement statement = connection.prepareStatement(declareLoss)) {
                SqlInstants.set(statement, 1, now);
                SqlInstants.set(statement, 2, now.plus(maxSessionLifetime));
                statement.setString(3, scope);
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                statement.setString(1, channel);
                statement.setString(2, MESSAGE + now.toEpochMilli());
                statement.executeQuery().close();
            }
        }
        return new Seen(current, lost);
    }

    /** The loss recorded in the database, for a catch-up; null when none (that still matters). */
    Instant recorded(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(readLoss)) {
            statement.setString(1, scope);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? SqlInstants.get(row, 1) : null;
            }
        }
    }

    /** A replica (this one or another) noticed the loss at {@code at}; the latest such instant holds. */
    void noticedAt(Instant at) {
        lost.noticedAt(at);
    }
}
