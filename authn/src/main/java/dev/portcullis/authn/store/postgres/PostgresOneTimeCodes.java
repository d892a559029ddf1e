package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Random single-use codes shared by every replica on one PostgreSQL database: a code issued by one replica is taken
 * once, by whichever replica sees it first ({@code DELETE … RETURNING} deletes a row once, so two replicas racing for
 * one code cannot both get it).
 *
 * <p><b>Rows:</b> {@code {tablePrefix}one_time_codes (scope, code, value, expires_at)}, the value as
 * {@link OneTimeCodes.Codec#encode} wrote it, until the code's {@code expiresAt}; a code taken after it is
 * deleted all the same and answered as unknown. Codes are 256 random bits, base64url, as {@code MemoryOneTimeCodes}
 * makes them. Expired rows nobody took are deleted by the connection's cleanup.
 *
 * <p><b>Fails closed:</b> when PostgreSQL cannot answer — unreachable, too slow, a wrong password, an error — the
 * stage completes with {@link StoreUnavailable}: no code is issued, none is accepted. A stored value the codec cannot
 * read (e.g. written by another version) fails the same way, and the code is used up. There is no count of codes of
 * its own: the database's disk is the bound.
 *
 * @param <V> what a code stands for
 */
public final class PostgresOneTimeCodes<V> implements OneTimeCodes<V> {
    private static final int CODE_BYTES = 32;

    private final PostgresStoreConnection postgres;
    private final String scope;
    private final OneTimeCodes.Codec<V> codec;
    private final String insert;
    private final String delete;

    /**
     * @param postgres the process's connection to PostgreSQL
     * @param scope    which codes these are, e.g. {@code builtin_code}: lower case letters, digits and {@code _}
     * @param codec    turns values into strings and back
     */
    public PostgresOneTimeCodes(PostgresStoreConnection postgres, String scope, OneTimeCodes.Codec<V> codec) {
        this.postgres = requireNonNull(postgres, "postgres");
        this.scope = StoreScope.checked(scope);
        this.codec = requireNonNull(codec, "codec");
        String table = postgres.schema().table(PostgresSchema.ONE_TIME_CODES);
        this.insert = "INSERT INTO " + table + " (scope, code, value, expires_at) VALUES (?, ?, ?, ?)";
        this.delete = "DELETE FROM " + table + " WHERE scope = ? AND code = ? RETURNING value, expires_at > now()";
    }

    @Override
    public CompletionStage<String> issue(V value, Instant expiresAt) {
        requireNonNull(value, "value");
        requireNonNull(expiresAt, "expiresAt");
        byte[] bytes = new byte[CODE_BYTES];
        NonBlockingRandom.get().nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return StoreUnavailable.asking(() -> {
            String encoded = codec.encode(value);
            // A code that exists already (256 random bits do not collide) fails on the primary key: closed.
            return postgres.ask(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(insert)) {
                    statement.setString(1, scope);
                    statement.setString(2, code);
                    statement.setString(3, encoded);
                    SqlInstants.set(statement, 4, expiresAt);
                    statement.executeUpdate();
                    return code;
                }
            });
        });
    }

    @Override
    public CompletionStage<Optional<V>> take(String code) {
        requireNonNull(code, "code");
        return StoreUnavailable.asking(() -> postgres.ask(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(delete)) {
                statement.setString(1, scope);
                statement.setString(2, code);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() && row.getBoolean(2) ? Optional.of(row.getString(1)) : Optional.<String>empty();
                }
            }
        }).thenApply(stored -> stored.map(codec::decode)));
    }
}
