package dev.portcullis.proxy.store;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.storage.PostgresServer;
import dev.portcullis.config.storage.StorageTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * How pgjdbc reaches the PostgreSQL of {@code databroker_storage_connection_string}: its JDBC URL (host, port,
 * database; never the user or password), the role and password, the TLS properties ({@code sslmode}; with
 * {@code databroker_storage_ca_file} a {@code sslrootcert} written once to a private file, since pgjdbc reads it from
 * a path; with {@code databroker_storage_tls_skip_verify} a factory that accepts any server certificate), and a
 * description for the log that names the host and never the password.
 */
public record PostgresSettings(String jdbcUrl, String user, String password, Properties ssl, String description) {

    public PostgresSettings {
        requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        requireNonNull(ssl, "ssl");
        requireNonNull(description, "description");
    }

    @Override
    public String toString() {
        return "PostgresSettings[" + description + "]";
    }

    public static PostgresSettings of(PostgresServer server, StorageTls tls) {
        String host = server.address().host().contains(":") ? "[" + server.address().host() + "]" : server.address().host();
        String database = server.database().map(d -> URLEncoder.encode(d, StandardCharsets.UTF_8)).orElse("");
        Properties ssl = new Properties();
        ssl.setProperty("sslmode", server.sslMode());
        if (tls.skipVerify()) {
            ssl.setProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
        }
        tls.caPem().ifPresent(pem -> ssl.setProperty("sslrootcert", privateFile(pem).toString()));
        String user = server.user().orElse(Optional.ofNullable(System.getProperty("user.name")).orElse("postgres"));
        return new PostgresSettings("jdbc:postgresql://" + host + ":" + server.address().port() + "/" + database, user,
                server.password().orElse(""), ssl, "postgres at " + server.address()
                        + server.database().map(d -> "/" + d).orElse("") + (server.tls() ? " (TLS)" : ""));
    }

    /** {@code pem} in a file only this process's user may read, deleted when the JVM ends. */
    private static Path privateFile(String pem) {
        try {
            Path file = Files.createTempFile("portcullis-postgres-ca-", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            return Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("databroker_storage_ca_file: cannot be handed to the PostgreSQL driver (" + e
                    + "): the temporary directory must be writable", e);
        }
    }
}
