package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.AcceptedTotpSteps;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The latest accepted TOTP step of each user, shared by every replica on one PostgreSQL database: a code accepted on
 * one replica is refused by every other (and so is any code of an earlier step), so an overheard code cannot be
 * replayed through another replica within its window.
 *
 * <p><b>Rows:</b> {@code {tablePrefix}totp_steps (scope, user_name, step, expires_at)}, one per user, until that
 * {@code forgetAfter}, when no code of that step is accepted any more anyway. One statement compares and records,
 * {@code INSERT … ON CONFLICT DO UPDATE … WHERE} the stored step is earlier or expired (PostgreSQL runs it atomically
 * per row, so replicas racing with the same code cannot both be told it was later); it keeps the later of the stored
 * and the new {@code forgetAfter}, so a step is never forgotten before the caller said it may be.
 *
 * <p><b>Fails closed:</b> when PostgreSQL cannot answer — unreachable, too slow, an error — the stage completes with
 * {@link StoreUnavailable}, never {@code true}. A database that loses its data forgets the accepted steps: a code
 * accepted just before can be used once more within its window (at most 90 seconds), as with the memory store after
 * a restart.
 */
public final class PostgresAcceptedTotpSteps implements AcceptedTotpSteps {
    private final PostgresStoreConnection postgres;
    private final String scope;
    private final String acceptLater;

    /**
     * @param postgres the process's connection to PostgreSQL
     * @param scope    which steps these are, e.g. {@code totp}: lower case letters, digits and {@code _}
     */
    public PostgresAcceptedTotpSteps(PostgresStoreConnection postgres, String scope) {
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = StoreScope.checked(scope);
        String table = postgres.schema().table(PostgresSchema.TOTP_STEPS);
        this.acceptLater = "INSERT INTO " + table + " AS accepted (scope, user_name, step, expires_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (scope, user_name) DO UPDATE SET step = excluded.step,"
                + " expires_at = CASE WHEN accepted.expires_at <= now() THEN excluded.expires_at"
                + " ELSE greatest(accepted.expires_at, excluded.expires_at) END"
                + " WHERE accepted.step < excluded.step OR accepted.expires_at <= now() RETURNING true";
    }

    @Override
    public CompletionStage<Boolean> acceptLater(String user, long step, Instant forgetAfter) {
        requireNonNull(user, "user");
        requireNonNull(forgetAfter, "forgetAfter");
        return postgres.ask(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(acceptLater)) {
                statement.setString(1, scope);
                statement.setString(2, user);
                statement.setLong(3, step);
                SqlInstants.set(statement, 4, forgetAfter);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            }
        });
    }
}
