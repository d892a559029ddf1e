package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.storage.PostgresServer;
import dev.portcullis.config.storage.ServerAddress;
import dev.portcullis.config.storage.StorageConnection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a PostgreSQL connection string in the URL form Pomerium's documentation gives for
 * {@code databroker_storage_type: postgres}: {@code postgres[ql]://[user[:password]@]host[:port][/database][?…]},
 * with {@code sslmode} (libpq's values; {@code prefer} by default) and, without effect, {@code connect_timeout} and
 * {@code application_name} in the query. libpq's {@code key=value} form, several hosts and Unix sockets are
 * problems. Problems never quote the user information.
 */
final class PostgresConnectionString {
    private static final String EXAMPLE = " (expected e.g. postgres://portcullis:password@db:5432/portcullis)";
    private static final Set<String> WITHOUT_EFFECT = Set.of("connect_timeout", "application_name");

    private final Diagnostics diagnostics;
    private final ConfigPath at;
    private final ConnectionUrl url;
    private int problems;

    private PostgresConnectionString(Diagnostics diagnostics, ConfigPath at) {
        this.diagnostics = diagnostics;
        this.at = at;
        this.url = new ConnectionUrl(EXAMPLE, this::problem);
    }

    /** The database {@code text} names, or empty after reporting at {@code at} why it names none. */
    static Optional<StorageConnection> read(String text, ConfigPath at, Diagnostics diagnostics) {
        return new PostgresConnectionString(diagnostics, at).parse(text.strip());
    }

    private Optional<StorageConnection> parse(String text) {
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd <= 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            problem(schemeEnd <= 0 && text.contains("=")
                    ? "is in libpq's key=value form: write it as a URL" + EXAMPLE
                    : "is not a PostgreSQL URL: it must start with postgres:// or postgresql://" + EXAMPLE);
            return Optional.empty();
        }
        String rest = text.substring(schemeEnd + 3);
        int fragment = rest.indexOf('#');
        String beforeFragment = fragment < 0 ? rest : rest.substring(0, fragment);
        int query = beforeFragment.indexOf('?');
        String beforeQuery = query < 0 ? beforeFragment : beforeFragment.substring(0, query);
        String queryText = query < 0 ? "" : beforeFragment.substring(query + 1);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash + 1);
        int userEnd = authority.lastIndexOf('@');
        String userInfo = userEnd < 0 ? "" : authority.substring(0, userEnd);
        String hosts = authority.substring(userEnd + 1);
        if (hosts.contains(",")) {
            return fail("names several hosts: Portcullis connects to one PostgreSQL server" + EXAMPLE);
        }
        Optional<ServerAddress> address = url.address(hosts, 5432);
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (!userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = url.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "the user name").filter(u -> !u.isEmpty());
            password = colon < 0 ? Optional.empty() : url.decode(userInfo.substring(colon + 1), "the password");
        }
        if (path.contains("/")) {
            problem("has a path of several parts: the database is one name (e.g. /portcullis)");
        }
        Optional<String> database = path.isEmpty() ? Optional.empty() : url.decode(path, "the database name");
        Map<String, String> parameters = url.parameters(queryText);
        String sslMode = parameters.getOrDefault("sslmode", "prefer");
        if (!PostgresServer.SSL_MODES.contains(sslMode)) {
            problem("sslmode " + quote(sslMode) + " is not one of " + new TreeSet<>(PostgresServer.SSL_MODES));
        }
        for (String name : parameters.keySet()) {
            if (WITHOUT_EFFECT.contains(name)) {
                diagnostics.warning(at + ": the query parameter " + quote(name) + " has no effect; Portcullis uses its own"
                        + " timeouts and name");
            } else if (!name.equals("sslmode")) {
                problem("the query parameter " + quote(name) + " is not one Portcullis reads (sslmode, connect_timeout,"
                        + " application_name)");
            }
        }
        if (problems > 0 || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresServer(address.get(), user, password, database, sslMode));
    }

    private void problem(String message) {
        problems++;
        diagnostics.problem(at, message);
    }

    private Optional<StorageConnection> fail(String message) {
        problem(message);
        return Optional.empty();
    }
}
