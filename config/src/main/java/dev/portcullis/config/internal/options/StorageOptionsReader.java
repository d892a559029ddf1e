package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.internal.value.ValueText;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.storage.RedisCluster;
import dev.portcullis.config.storage.StorageConnection;
import dev.portcullis.config.storage.StorageOptions;
import dev.portcullis.config.storage.StorageTls;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code databroker_storage_type} and, with {@code redis}, the Redis to share sign-in state through: the
 * connection string ({@code databroker_storage_connection_string}, or the trimmed content of
 * {@code databroker_storage_connection_string_file}), the key prefix ({@code databroker_storage_key_prefix}) and
 * the TLS files ({@code databroker_storage_ca_file}, {@code _cert_file}, {@code _key_file},
 * {@code _tls_skip_verify}); with {@code postgres} the same for a PostgreSQL database (the prefix then starts table
 * names; a client certificate is refused). With {@code memory} those keys have no effect, and a warning says so.
 */
final class StorageOptionsReader {

    private static final String CONNECTION = "databroker_storage_connection_string";
    private static final String KEY_PREFIX = "databroker_storage_key_prefix";
    private static final String CA_FILE = "databroker_storage_ca_file";
    private static final String CERT_FILE = "databroker_storage_cert_file";
    private static final String KEY_FILE = "databroker_storage_key_file";
    private static final String SKIP_VERIFY = "databroker_storage_tls_skip_verify";
    private static final Set<String> SHARED_KEYS = Set.of(CONNECTION, CONNECTION + "_file", KEY_PREFIX, CA_FILE,
            CERT_FILE, KEY_FILE, SKIP_VERIFY);
    /** Printable ASCII without spaces: the prefix is part of every key and channel name. */
    private static final Pattern PREFIX = Pattern.compile("[\\x21-\\x7e]{1,64}");
    /** With postgres the prefix starts the names of tables and a notification channel (63 bytes at most). */
    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,23}");

    /** The keys this reader reads rather than their kind alone. */
    static Set<String> keys() {
        return SHARED_KEYS;
    }

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    StorageOptionsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    /** Where state lives; {@link StorageOptions#memory()} for {@code memory} and after any problem. */
    StorageOptions read(SettingMap top) {
        Optional<Setting> type = top.get("databroker_storage_type");
        Optional<String> written = type.flatMap(readers.scalars()::text).map(String::strip);
        String chosen = written.map(t -> t.toLowerCase(Locale.ROOT)).orElse("memory");
        switch (chosen) {
            case "memory" -> {
                SHARED_KEYS.stream().filter(top::has).sorted().forEach(key -> diagnostics.warning(key
                        + " has no effect: sign-in state is kept in memory unless databroker_storage_type is redis or"
                        + " postgres"));
                return StorageOptions.memory();
            }
            case "redis", "postgres" -> {
                boolean postgres = chosen.equals("postgres");
                Optional<StorageConnection> connection = connection(top, type.orElseThrow(), postgres);
                String prefix = top.get(KEY_PREFIX).flatMap(s -> keyPrefix(s, postgres))
                        .orElse(postgres ? StorageOptions.DEFAULT_TABLE_PREFIX : StorageOptions.DEFAULT_KEY_PREFIX);
                Optional<StorageTls> tls = tls(top);
                if (connection.isPresent() && !connection.get().tls()) {
                    Stream.of(CA_FILE, CERT_FILE, KEY_FILE, SKIP_VERIFY).filter(top::has).forEach(key -> diagnostics.warning(
                            key + " has no effect: the connection string does not ask for TLS ("
                                    + (postgres ? "sslmode=require, verify-ca or verify-full" : "rediss://") + ")"));
                }
                if (postgres) {
                    Stream.of(CERT_FILE, KEY_FILE).filter(top::has).forEach(key -> diagnostics.problem(
                            top.get(key).orElseThrow().at(), "is not supported with postgres: a client certificate is"
                                    + " presented to Redis only; use a password in the connection string"));
                }
                if (connection.isPresent() && tls.isPresent()) {
                    return new StorageOptions(connection, prefix, tls.get());
                }
                return StorageOptions.memory();
            }
            default -> diagnostics.problem(type.orElseThrow().at(), quote(written.orElseThrow())
                    + " is not one of memory, redis, postgres");
        }
        return StorageOptions.memory();
    }

    private Optional<String> keyPrefix(Setting s, boolean postgres) {
        return readers.scalars().text(s).filter(text -> {
            if (postgres ? TABLE_PREFIX.matcher(text).matches() : PREFIX.matcher(text).matches()) {
                return true;
            }
            diagnostics.problem(s.at(), quote(text) + (postgres
                    ? " is not a table prefix (with postgres: a lower-case letter or _, then up to 23 lower-case letters,"
                            + " digits or _, e.g. " + StorageOptions.DEFAULT_TABLE_PREFIX + ")"
                    : " is not a key prefix (expected 1 to 64 printable characters without spaces, e.g. "
                            + StorageOptions.DEFAULT_KEY_PREFIX + ")"));
            return false;
        });
    }

    /** The TLS settings; empty after a problem. */
    private Optional<StorageTls> tls(SettingMap top) {
        int before = diagnostics.problemCount();
        Optional<String> ca = top.get(CA_FILE).flatMap(s -> readers.materials().pemFile(s, PemContent.CERTIFICATE));
        Optional<String> certificate = top.get(CERT_FILE)
                .flatMap(s -> readers.materials().pemFile(s, PemContent.CERTIFICATE));
        Optional<String> key = top.get(KEY_FILE).flatMap(s -> readers.materials().pemFile(s, PemContent.PRIVATE_KEY));
        boolean skipVerify = top.get(SKIP_VERIFY).flatMap(readers.scalars()::bool).orElse(false);
        if (top.has(CERT_FILE) != top.has(KEY_FILE)) {
            String missing = top.has(CERT_FILE) ? KEY_FILE : CERT_FILE;
            String given = top.has(CERT_FILE) ? CERT_FILE : KEY_FILE;
            diagnostics.problem(top.get(given).orElseThrow().at(), "needs " + missing + " as well: a client"
                    + " certificate is presented with its private key");
        }
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new StorageTls(ca, certificate, key, skipVerify));
    }

    private Optional<StorageConnection> connection(SettingMap top, Setting type, boolean postgres) {
        String key = CONNECTION;
        Optional<Setting> chosen = new AlternativeKeys(diagnostics).choose(top, key, key + "_file");
        if (chosen.isEmpty()) {
            if (!top.has(key) && !top.has(key + "_file")) {
                diagnostics.problem(type.at(), (postgres
                        ? "postgres needs the database to connect to: set " + key + " or " + key
                                + "_file (e.g. postgres://portcullis:password@db:5432/portcullis)"
                        : "redis needs the Redis to connect to: set " + key + " or " + key
                                + "_file (e.g. redis://:password@redis:6379/0)"));
            }
            return Optional.empty();
        }
        Setting s = chosen.get();
        Optional<String> text = s.at().path().endsWith("_file")
                ? readers.materials().fileText(s).map(String::strip)
                : readers.scalars().text(s).map(String::strip);
        if (text.isPresent() && text.get().isEmpty()) {
            String example = postgres ? "postgres://portcullis:password@db:5432/portcullis" : "redis://:password@redis:6379/0";
            diagnostics.problem(s.at(), s.at().path().endsWith("_file")
                    ? "names an empty file (expected a file holding e.g. " + example + ")"
                    : "is empty (expected e.g. " + example + ")");
            return Optional.empty();
        }
        if (postgres) {
            return text.flatMap(t -> PostgresConnectionString.read(t, s.at(), diagnostics));
        }
        Optional<StorageConnection> read = text.flatMap(t -> RedisConnectionString.read(t, s.at(), diagnostics));
        if (read.isPresent() && read.get() instanceof RedisCluster) {
            diagnostics.problem(s.at(), "redis+cluster is not supported: the session stores run scripts over keys"
                    + " that a cluster would spread over several nodes; use one Redis server (redis://) or a primary"
                    + " behind Sentinel (redis+sentinel://)");
            return Optional.empty();
        }
        return read;
    }
}
