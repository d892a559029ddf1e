package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * A PostgreSQL database, as current Pomerium keeps its databroker in:
 * {@code postgres[ql]://[user[:password]@]host[:port][/database][?sslmode=…]}. {@link #toString()} never shows the
 * password.
 *
 * @param address  port 5432 unless the string names one
 * @param user     empty: the server's default (the operating system user of the process)
 * @param password empty when the string has none
 * @param database empty: the server's default (the user's name)
 * @param sslMode  libpq's {@code sslmode}: {@code disable}, {@code allow}, {@code prefer} (the default),
 *                 {@code require}, {@code verify-ca} or {@code verify-full}
 */
public record PostgresServer(ServerAddress address, Optional<String> user, Optional<String> password,
        Optional<String> database, String sslMode) implements StorageConnection {
    /** The {@code sslmode}s libpq (and pgjdbc) know. */
    public static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public PostgresServer {
        requireNonNull(address, "address");
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        requireNonNull(database, "database");
        if (!SSL_MODES.contains(sslMode)) {
            throw new IllegalArgumentException("sslMode: " + sslMode + " (expected one of " + SSL_MODES + ")");
        }
    }

    /** Whether TLS is required ({@code require}, {@code verify-ca}, {@code verify-full}). */
    @Override
    public boolean tls() {
        return sslMode.equals("require") || sslMode.startsWith("verify-");
    }

    @Override
    public String toString() {
        return "PostgresServer[address=" + address + ", user=" + user.orElse("(default)") + ", password="
                + (password.isPresent() ? "(redacted)" : "(none)") + ", database=" + database.orElse("(default)")
                + ", sslMode=" + sslMode + "]";
    }
}
