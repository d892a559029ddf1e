package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The claimed ids of every replica that shares one PostgreSQL database: the first claim of an id, on any replica,
 * wins.
 *
 * <p><b>Rows:</b> {@code {tablePrefix}single_use (scope, id, expires_at)}, one per claimed id, with the claim's
 * {@code expiresAt}. A claim is one statement, {@code INSERT … ON CONFLICT (scope, id) DO UPDATE … WHERE expires_at
 * <= now()}: PostgreSQL decides who was first, atomically (racing inserts of one id wait for each other), and an
 * expired row counts as absent and is replaced. Expired rows are deleted by the connection's cleanup. The scope
 * keeps stores that share one deployment apart ({@code handoff}, {@code state} …), the table prefix deployments.
 *
 * <p><b>Fails closed:</b> when PostgreSQL cannot answer — unreachable, too slow, a wrong password, an error (a full
 * disk, a read-only standby) — the stage completes with {@link StoreUnavailable}, never {@code true}. There is no
 * count of ids of its own: the database's disk is the bound. A database that loses its data (restored from an old
 * backup, tables dropped) forgets the ids claimed before: each can be claimed once more until it would have expired
 * (a hand-off lives a minute).
 */
public final class PostgresSingleUse implements SingleUse {
    private final PostgresStoreConnection postgres;
    private final String scope;
    private final String claim;

    /**
     * @param postgres the process's connection to PostgreSQL
     * @param scope    which ids these are, e.g. {@code handoff}: lower case letters, digits and {@code _}
     */
    public PostgresSingleUse(PostgresStoreConnection postgres, String scope) {
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = StoreScope.checked(scope);
        String table = postgres.schema().table(PostgresSchema.SINGLE_USE);
        this.claim = "INSERT INTO " + table + " AS claimed (scope, id, expires_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (scope, id) DO UPDATE SET expires_at = excluded.expires_at"
                + " WHERE claimed.expires_at <= now() RETURNING true";
    }

    @Override
    public CompletionStage<Boolean> claim(String id, Instant expiresAt) {
        requireNonNull(id, "id");
        requireNonNull(expiresAt, "expiresAt");
        return postgres.ask(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(claim)) {
                statement.setString(1, scope);
                statement.setString(2, id);
                SqlInstants.set(statement, 3, expiresAt);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            }
        });
    }
}
