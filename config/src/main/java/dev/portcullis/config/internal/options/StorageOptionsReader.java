package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.internal.value.ValueText;
import dev.portcullis.config.storage.StorageConnection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code databroker_storage_type} and, with {@code redis}, the connection string
 * ({@code databroker_storage_connection_string}, or the trimmed content of
 * {@code databroker_storage_connection_string_file}) into a {@link StorageConnection}, so that {@code validate}
 * reports a wrong one. With {@code memory} the connection string is not read: it has no effect, which the
 * catalogue's status already says.
 *
 * <p>{@code redis} is then refused all the same, because no store is wired to it yet: replicas configured with it
 * would each keep their own sign-in state while believing they share it, which is worse than a refusal.
 * {@code postgres} is refused as not supported yet.
 */
final class StorageOptionsReader {

    private static final String CONNECTION = "databroker_storage_connection_string";

    /**
     * The keys of {@code top} this reader reads rather than their kind alone: the connection string's with
     * {@code redis}; with any other type they are only checked by their kind, as accepted keys without effect.
     */
    static Set<String> readHere(SettingMap top) {
        boolean redis = top.get("databroker_storage_type").flatMap(s -> ValueText.scalar(s.value()))
                .filter(t -> t.strip().equalsIgnoreCase("redis")).isPresent();
        return redis ? Set.of(CONNECTION, CONNECTION + "_file") : Set.of();
    }

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    StorageOptionsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    /** The Redis to share state through; empty for {@code memory} and after any problem. */
    Optional<StorageConnection> read(SettingMap top) {
        Optional<Setting> type = top.get("databroker_storage_type");
        Optional<String> written = type.flatMap(readers.scalars()::text).map(String::strip);
        String chosen = written.map(t -> t.toLowerCase(Locale.ROOT)).orElse("memory");
        switch (chosen) {
            case "memory" -> {
                return Optional.empty();
            }
            case "redis" -> {
                Optional<StorageConnection> connection = connection(top, type.orElseThrow());
                refuseUnservedRedis(type.orElseThrow(), connection.isPresent());
                return connection;
            }
            case "postgres" -> diagnostics.problem(type.orElseThrow().at(), "\"postgres\" is not supported yet:"
                    + " Portcullis shares sign-in state through Redis (redis), or keeps it in memory for a single replica"
                    + " (memory)");
            default -> diagnostics.problem(type.orElseThrow().at(), quote(written.orElseThrow())
                    + " is not one of memory, redis");
        }
        return Optional.empty();
    }

    private Optional<StorageConnection> connection(SettingMap top, Setting type) {
        String key = CONNECTION;
        Optional<Setting> chosen = new AlternativeKeys(diagnostics).choose(top, key, key + "_file");
        if (chosen.isEmpty()) {
            if (!top.has(key) && !top.has(key + "_file")) {
                diagnostics.problem(type.at(), "redis needs the Redis to connect to: set " + key + " or " + key
                        + "_file (e.g. redis://:password@redis:6379/0)");
            }
            return Optional.empty();
        }
        Setting s = chosen.get();
        Optional<String> text = s.at().path().endsWith("_file")
                ? readers.materials().fileText(s).map(String::strip)
                : readers.scalars().text(s).map(String::strip);
        if (text.isPresent() && text.get().isEmpty()) {
            diagnostics.problem(s.at(), s.at().path().endsWith("_file")
                    ? "names an empty file (expected a file holding e.g. redis://:password@redis:6379/0)"
                    : "is empty (expected e.g. redis://:password@redis:6379/0)");
            return Optional.empty();
        }
        return text.flatMap(t -> RedisConnectionString.read(t, s.at(), diagnostics));
    }

    private void refuseUnservedRedis(Setting type, boolean connectionValid) {
        diagnostics.problem(type.at(), "\"redis\" is not served yet" + (connectionValid ? " (the connection string is valid)" : "")
                + ": replicas sharing sign-in state through Redis are not implemented, so every replica would keep its"
                + " own (a hand-off used on one accepted again by another, a sign-out on one not seen by the other);"
                + " run a single replica and remove databroker_storage_type (or set it to memory)");
    }
}
