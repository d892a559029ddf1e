package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.builtin.ThrottledName;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sign-in throttle of every replica on one PostgreSQL database: failures on any replica add up to one lock for
 * the account and for the client address, a success on any replica forgets the account's failures everywhere, and
 * attempts in flight on every replica count towards the threshold. The rules are exactly {@link MemoryLoginThrottle}'s
 * (threshold, window, doubling delays up to the longest lock, what a success and a finished attempt forget), as
 * {@code RedisLoginThrottle} applies them; each step — {@code begin}, {@code failed}, {@code succeeded},
 * {@code finished} — is one transaction that first takes a transaction-scoped advisory lock on the account, then on
 * the address ({@code pg_advisory_xact_lock}, always in that order, so two steps never wait for each other in a
 * circle), so replicas racing cannot both slip past the threshold, and a key's first row cannot be raced either.
 *
 * <p><b>Rows</b> ({@code who} is {@code account:{email lower-cased}} or {@code address:{address}}):
 * {@code {tablePrefix}throttle_failures (scope, who, failures, last_failure, locked_until, expires_at)}, expiring when
 * both the window after the last failure and the lock have passed, when it would count for nothing anyway; and
 * {@code {tablePrefix}throttle_attempts (scope, who, attempt, expires_at)}, one per attempt in flight, expiring
 * {@link #IN_FLIGHT_LIFETIME} after its {@code begin} (an attempt whose replica stopped before ending it counts no
 * longer). The rules take the time from this throttle's {@code clock}, as the memory throttle does; replicas' clocks
 * should agree. The connection's cleanup deletes expired rows.
 *
 * <p><b>Fails closed:</b> when PostgreSQL cannot answer, every stage completes with {@link StoreUnavailable}: a
 * {@code begin} that fails means the attempt is not checked. One WARN line is logged, by the replica that recorded
 * it, when an account or address becomes locked; never a password. A database that loses its data forgets every
 * counter.
 */
public final class PostgresLoginThrottle implements LoginThrottle {
    /** How long an attempt counts as in flight at most, should its replica never end it. */
    static final Duration IN_FLIGHT_LIFETIME = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private final PostgresStoreConnection postgres;
    private final String scope;
    private final Clock clock;
    private final String lock;
    private final String forgetEndedAttempts;
    private final String countAttempts;
    private final String addAttempt;
    private final String endOldestAttempt;
    private final String endAllAttempts;
    private final String readFailures;
    private final String writeFailures;
    private final String forgetFailures;

    /**
     * @param postgres the process's connection to PostgreSQL
     * @param scope    which throttle this is, e.g. {@code throttle}: lower case letters, digits and {@code _}
     * @param clock    the time the rules are applied at (the system's outside tests)
     */
    public PostgresLoginThrottle(PostgresStoreConnection postgres, String scope, Clock clock) {
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = StoreScope.checked(scope);
        this.clock = requireNonNull(clock, "clock");
        String failures = postgres.schema().table(PostgresSchema.THROTTLE_FAILURES);
        String attempts = postgres.schema().table(PostgresSchema.THROTTLE_ATTEMPTS);
        this.lock = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
        this.forgetEndedAttempts = "DELETE FROM " + attempts + " WHERE scope = ? AND who = ? AND expires_at <= ?";
        this.countAttempts = "SELECT count(*) FROM " + attempts + " WHERE scope = ? AND who = ?";
        this.addAttempt = "INSERT INTO " + attempts + " (scope, who, attempt, expires_at) VALUES (?, ?, ?, ?)";
        this.endOldestAttempt = "DELETE FROM " + attempts + " WHERE (scope, who, attempt) IN (SELECT scope, who, attempt"
                + " FROM " + attempts + " WHERE scope = ? AND who = ? ORDER BY expires_at, attempt LIMIT 1)";
        this.endAllAttempts = "DELETE FROM " + attempts + " WHERE scope = ? AND who = ?";
        this.readFailures = "SELECT failures, last_failure, locked_until FROM " + failures + " WHERE scope = ? AND who = ?";
        this.writeFailures = "INSERT INTO " + failures + " (scope, who, failures, last_failure, locked_until, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, who) DO UPDATE SET failures = excluded.failures,"
                + " last_failure = excluded.last_failure, locked_until = excluded.locked_until,"
                + " expires_at = excluded.expires_at";
        this.forgetFailures = "DELETE FROM " + failures + " WHERE scope = ? AND who = ?";
    }

    @Override
    public CompletionStage<Optional<Duration>> begin(String email, String address) {
        Keys keys = keys(email, address);
        byte[] random = new byte[12];
        NonBlockingRandom.get().nextBytes(random);
        String attempt = HexFormat.of().formatHex(random);
        Instant now = clock.instant();
        return postgres.ask(connection -> {
            lock(connection, keys);
            Duration wait = longer(waitFor(connection, keys.account(), now), waitFor(connection, keys.address(), now));
            if (!wait.isZero()) {
                return Optional.of(wait);
            }
            for (String who : keys.both()) {
                try (PreparedStatement statement = connection.prepareStatement(addAttempt)) {
                    statement.setString(1, scope);
                    statement.setString(2, who);
                    statement.setString(3, attempt);
                    SqlInstants.set(statement, 4, now.plus(IN_FLIGHT_LIFETIME));
                    statement.executeUpdate();
                }
            }
            return Optional.<Duration>empty();
        });
    }

    @Override
    public CompletionStage<Void> failed(String email, String address) {
        Keys keys = keys(email, address);
        Instant now = clock.instant();
        return postgres.ask(connection -> {
            lock(connection, keys);
            return new Counter[] {fail(connection, keys.account(), now), fail(connection, keys.address(), now)};
        }).thenAccept(counted -> {
            logIfLocked("account " + ThrottledName.printable(email), counted[0], now);
            logIfLocked("client address " + ThrottledName.printable(address), counted[1], now);
        });
    }

    @Override
    public CompletionStage<Void> succeeded(String email, String address) {
        Keys keys = keys(email, address);
        Instant now = clock.instant();
        return postgres.ask(connection -> {
            lock(connection, keys);
            for (String forget : new String[] {forgetFailures, endAllAttempts}) {
                try (PreparedStatement statement = connection.prepareStatement(forget)) {
                    statement.setString(1, scope);
                    statement.setString(2, keys.account());
                    statement.executeUpdate();
                }
            }
            endOne(connection, keys.address(), now);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> finished(String email, String address) {
        Keys keys = keys(email, address);
        Instant now = clock.instant();
        return postgres.ask(connection -> {
            lock(connection, keys);
            endOne(connection, keys.account(), now);
            endOne(connection, keys.address(), now);
            return null;
        });
    }

    /** The account's and the address's keys. */
    private record Keys(String account, String address) {
        String[] both() {
            return new String[] {account, address};
        }
    }

    private static Keys keys(String email, String address) {
        return new Keys("account:" + BuiltinUser.normalize(requireNonNull(email, "email")),
                "address:" + requireNonNull(address, "address"));
    }

    /** A key's failures within the window at {@code now}, and its lock's end (null: never locked). */
    private record Counter(int failures, Instant lockedUntil) {}

    /** Locks the account's key, then the address's, until the transaction ends. */
    private void lock(Connection connection, Keys keys) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lock)) {
            for (String who : keys.both()) {
                statement.setString(1, postgres.schema().table(PostgresSchema.THROTTLE_FAILURES) + " " + scope + " " + who);
                statement.executeQuery().close();
            }
        }
    }

    /** How long an attempt on {@code who} must wait: its lock, or one attempt at a time once the next failure locks. */
    private Duration waitFor(Connection connection, String who, Instant now) throws SQLException {
        Counter counter = counter(connection, who, now);
        if (counter.lockedUntil() != null && counter.lockedUntil().isAfter(now)) {
            return Duration.between(now, counter.lockedUntil());
        }
        long inFlight = inFlight(connection, who, now);
        // One attempt at a time once the next failure would lock: it cannot race past the lock.
        return inFlight > 0 && counter.failures() + inFlight >= MemoryLoginThrottle.THRESHOLD
                ? MemoryLoginThrottle.FIRST_DELAY : Duration.ZERO;
    }

    /** One attempt of {@code who} ended, one more failure: the counter after it. */
    private Counter fail(Connection connection, String who, Instant now) throws SQLException {
        endOne(connection, who, now);
        Counter before = counter(connection, who, now);
        int failures = before.failures() + 1;
        Instant lockedUntil = before.lockedUntil();
        if (failures >= MemoryLoginThrottle.THRESHOLD) {
            Duration delay = MemoryLoginThrottle.FIRST_DELAY.multipliedBy(
                    1L << Math.min(failures - MemoryLoginThrottle.THRESHOLD, 30));
            lockedUntil = now.plus(delay.compareTo(MemoryLoginThrottle.MAX_DELAY) > 0 ? MemoryLoginThrottle.MAX_DELAY
                    : delay);
        }
        Instant windowEnds = now.plus(MemoryLoginThrottle.WINDOW);
        Instant expiresAt = lockedUntil != null && lockedUntil.isAfter(windowEnds) ? lockedUntil : windowEnds;
        try (PreparedStatement statement = connection.prepareStatement(writeFailures)) {
            statement.setString(1, scope);
            statement.setString(2, who);
            statement.setInt(3, failures);
            SqlInstants.set(statement, 4, now);
            if (lockedUntil == null) {
                statement.setNull(5, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                SqlInstants.set(statement, 5, lockedUntil);
            }
            SqlInstants.set(statement, 6, expiresAt);
            statement.executeUpdate();
        }
        return new Counter(failures, lockedUntil);
    }

    /** {@code who}'s counter as it stands at {@code now}: failures older than the window forgotten. */
    private Counter counter(Connection connection, String who, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(readFailures)) {
            statement.setString(1, scope);
            statement.setString(2, who);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return new Counter(0, null);
                }
                int failures = row.getInt(1);
                Instant lastFailure = SqlInstants.get(row, 2);
                Instant lockedUntil = SqlInstants.get(row, 3);
                boolean forgotten = !lastFailure.plus(MemoryLoginThrottle.WINDOW).isAfter(now);
                return new Counter(forgotten ? 0 : failures, lockedUntil);
            }
        }
    }

    /** The attempts of {@code who} in flight at {@code now}, after forgetting those that stopped counting. */
    private long inFlight(Connection connection, String who, Instant now) throws SQLException {
        forgetEnded(connection, who, now);
        try (PreparedStatement statement = connection.prepareStatement(countAttempts)) {
            statement.setString(1, scope);
            statement.setString(2, who);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Ends one attempt of {@code who} in flight (the one that stops counting first), if any. */
    private void endOne(Connection connection, String who, Instant now) throws SQLException {
        forgetEnded(connection, who, now);
        try (PreparedStatement statement = connection.prepareStatement(endOldestAttempt)) {
            statement.setString(1, scope);
            statement.setString(2, who);
            statement.executeUpdate();
        }
    }

    private void forgetEnded(Connection connection, String who, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(forgetEndedAttempts)) {
            statement.setString(1, scope);
            statement.setString(2, who);
            SqlInstants.set(statement, 3, now);
            statement.executeUpdate();
        }
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void logIfLocked(String who, Counter counter, Instant now) {
        if (counter.failures() == MemoryLoginThrottle.THRESHOLD) {
            LOG.warn("sign-in throttled: {} had {} failed attempts within {} minutes; locked for {} s, doubling with"
                    + " each further failure up to {} minutes", who, MemoryLoginThrottle.THRESHOLD,
                    MemoryLoginThrottle.WINDOW.toMinutes(), Duration.between(now, counter.lockedUntil()).toSeconds(),
                    MemoryLoginThrottle.MAX_DELAY.toMinutes());
        }
    }
}
