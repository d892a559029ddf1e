package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.storage.ServerAddress;
import dev.portcullis.config.storage.RedisCluster;
import dev.portcullis.config.storage.RedisCredentials;
import dev.portcullis.config.storage.RedisSentinel;
import dev.portcullis.config.storage.RedisServer;
import dev.portcullis.config.storage.StorageConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Redis connection string the way Pomerium did before 0.21 (go-redis's {@code ParseURL} for
 * {@code redis://} and {@code rediss://}, its own {@code ParseSentinelURL} and {@code ParseClusterURL}), with the
 * same scheme spellings, default ports (6379, Sentinel 26379) and split of the URL: the fragment, then the query,
 * then the authority up to the first {@code /}, whose user information ends at its last {@code @}. A password
 * holding {@code /}, {@code ?} or {@code #} must therefore be percent-encoded, as there.
 *
 * <p>Stricter than Pomerium, so that a mistake shows in {@code validate} rather than as a store that never
 * connects: a user name without a password, a Sentinel URL without the primary's name, a database on a cluster,
 * a negative or non-numeric database, and a port outside 1–65535 are problems. Problems never quote the string
 * or anything of its user information; they name the scheme, a host, a port or a path part only.
 */
final class RedisConnectionString {

    private static final String EXAMPLE = " (expected e.g. redis://:password@redis:6379/0)";
    private static final Set<String> SERVER = Set.of("redis", "rediss");
    private static final Set<String> SENTINEL = Set.of("redis+sentinel", "redis-sentinel", "rediss+sentinel",
            "rediss-sentinel", "redis+sentinels", "redis-sentinels");
    private static final Set<String> CLUSTER = Set.of("redis+cluster", "redis-cluster", "rediss+cluster",
            "rediss-cluster", "redis+clusters", "redis-clusters");

    private final Diagnostics diagnostics;
    private final ConfigPath at;
    private final ConnectionUrl url;
    private int problems;

    private RedisConnectionString(Diagnostics diagnostics, ConfigPath at) {
        this.diagnostics = diagnostics;
        this.at = at;
        this.url = new ConnectionUrl(EXAMPLE, this::problem);
    }

    /** The connection {@code text} describes, or empty after reporting at {@code at} why it describes none. */
    static Optional<StorageConnection> read(String text, ConfigPath at, Diagnostics diagnostics) {
        return new RedisConnectionString(diagnostics, at).parse(text.strip());
    }

    private Optional<StorageConnection> parse(String text) {
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd <= 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            return fail("is not a Redis URL: it does not start with a scheme such as redis://" + EXAMPLE);
        }
        String rest = text.substring(schemeEnd + 3);
        int fragment = rest.indexOf('#');
        String beforeFragment = fragment < 0 ? rest : rest.substring(0, fragment);
        int query = beforeFragment.indexOf('?');
        String beforeQuery = query < 0 ? beforeFragment : beforeFragment.substring(0, query);
        String queryText = query < 0 ? "" : beforeFragment.substring(query + 1);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash);
        if (rest.substring(authority.length()).contains("@")) {
            return fail("has an @ after its host: a password that holds /, ? or # must be percent-encoded"
                    + " (%2F, %3F, %23)");
        }
        int userEnd = authority.lastIndexOf('@');
        Optional<RedisCredentials> credentials = userEnd < 0 ? Optional.empty() : credentials(authority.substring(0, userEnd));
        String hosts = authority.substring(userEnd + 1);
        Map<String, String> parameters = parameters(queryText);
        boolean tls = scheme.startsWith("rediss") || scheme.endsWith("sentinels") || scheme.endsWith("clusters");
        if (SERVER.contains(scheme)) {
            return server(hosts, tls, credentials, path, parameters);
        } else if (SENTINEL.contains(scheme)) {
            return sentinel(hosts, tls, credentials, path, parameters);
        } else if (CLUSTER.contains(scheme)) {
            return cluster(hosts, tls, credentials, path, parameters);
        } else if (scheme.equals("unix")) {
            return fail("names a Unix socket, which is not supported; use redis://host:port");
        } else if (scheme.contains("sentinel") && scheme.contains("cluster")) {
            return fail("scheme " + quote(scheme) + " (reads from Sentinel's replicas) is not supported: a replica"
                    + " may not have seen a hand-off just used; use redis+sentinel://");
        }
        return fail("scheme " + quote(scheme) + " is not one of redis, rediss, redis+sentinel, rediss+sentinel,"
                + " redis+cluster, rediss+cluster" + EXAMPLE);
    }

    private Optional<StorageConnection> server(String hosts, boolean tls, Optional<RedisCredentials> credentials,
            String path, Map<String, String> parameters) {
        List<String> segments = segments(path);
        if (segments.size() > 1) {
            problem("has the path " + quote(path) + ": only a database number may follow the host (/0)");
        }
        int database = segments.isEmpty() ? 0 : database(segments.get(0));
        if (parameters.containsKey("db")) {
            database = database(parameters.get("db")); // go-redis 8.11: the query's db wins over the path's
        }
        List<ServerAddress> addresses = addresses(hosts.isEmpty() ? "localhost" : hosts, 6379);
        if (addresses.size() > 1) {
            problem("names " + addresses.size() + " hosts: only redis+sentinel:// and redis+cluster:// take several");
        }
        credentialsInQuery(parameters);
        warnAboutTuning(parameters, Set.of("db", "username", "password"));
        return problems > 0 ? Optional.empty()
                : Optional.of(new RedisServer(addresses.get(0), tls, credentials, database));
    }

    private Optional<StorageConnection> sentinel(String hosts, boolean tls, Optional<RedisCredentials> credentials,
            String path, Map<String, String> parameters) {
        List<String> parts = List.of(path.split("/", -1));
        String master = parts.size() > 1 ? parts.get(1) : "";
        if (master.isEmpty()) {
            problem("names no primary: a Sentinel URL ends with the name Sentinel knows it by"
                    + " (redis+sentinel://sentinel:26379/mymaster/0)");
        }
        if (parts.size() > 3) {
            problem("has the path " + quote(path) + ": only the primary's name and a database number may follow the hosts");
        }
        int database = parts.size() > 2 ? database(parts.get(2)) : 0;
        List<ServerAddress> sentinels = addresses(hosts, 26379);
        Optional<RedisCredentials> masterCredentials = Optional.ofNullable(parameters.get("password"))
                .map(p -> new RedisCredentials(Optional.ofNullable(parameters.get("username")).filter(u -> !u.isEmpty()), p));
        if (masterCredentials.isEmpty() && parameters.containsKey("username")) {
            problem("has a username parameter but no password parameter");
        }
        warnAboutTuning(parameters, Set.of("username", "password"));
        Optional<String> masterName = decode(master, "the primary's name");
        return problems > 0 ? Optional.empty() : Optional.of(
                new RedisSentinel(sentinels, tls, credentials, masterName.orElseThrow(), masterCredentials, database));
    }

    private Optional<StorageConnection> cluster(String hosts, boolean tls, Optional<RedisCredentials> credentials,
            String path, Map<String, String> parameters) {
        List<String> segments = segments(path);
        if (!segments.isEmpty() && !segments.equals(List.of("0"))) {
            problem("has the path " + quote(path) + ": a Redis Cluster has only database 0, so nothing follows the hosts");
        }
        List<ServerAddress> seeds = addresses(hosts, 6379);
        credentialsInQuery(parameters);
        warnAboutTuning(parameters, Set.of("username", "password"));
        return problems > 0 ? Optional.empty() : Optional.of(new RedisCluster(seeds, tls, credentials));
    }

    /** {@code user:password} or {@code :password}, percent-decoded; a user alone is a problem. */
    private Optional<RedisCredentials> credentials(String userInfo) {
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            problem("has a user name but no password (expected redis://user:password@host, or redis://:password@host"
                    + " for the default user)");
            return Optional.empty();
        }
        Optional<String> user = decode(userInfo.substring(0, colon), "the user name");
        Optional<String> password = decode(userInfo.substring(colon + 1), "the password");
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RedisCredentials(user.filter(u -> !u.isEmpty()), password.get()));
    }

    private void credentialsInQuery(Map<String, String> parameters) {
        if (parameters.containsKey("password") || parameters.containsKey("username")) {
            problem("has a username or password parameter: this form takes them before the host"
                    + " (redis://user:password@host)");
        }
    }

    private List<ServerAddress> addresses(String hosts, int defaultPort) {
        List<ServerAddress> addresses = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            address(host.strip(), defaultPort).ifPresent(addresses::add);
        }
        return addresses;
    }

    private Optional<ServerAddress> address(String text, int defaultPort) {
        return url.address(text, defaultPort);
    }

    private Map<String, String> parameters(String query) {
        return url.parameters(query);
    }

    private Optional<String> decode(String text, String what) {
        return url.decode(text, what);
    }

    private int database(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            problem("database " + quote(text) + " is not a database number (expected 0 or more, e.g. /0)");
            return 0;
        }
        return Integer.parseInt(text);
    }

    /** A warning for each parameter but {@code read}: Pomerium's client tuning, which Portcullis does not take. */
    private void warnAboutTuning(Map<String, String> parameters, Set<String> read) {
        parameters.keySet().stream().filter(k -> !read.contains(k)).forEach(k ->
                diagnostics.warning(at + ": the query parameter " + quote(k) + " (a tuning of Pomerium's Redis client)"
                        + " has no effect; Portcullis uses its own timeouts and pool"));
    }

    private static List<String> segments(String path) {
        return List.of(path.split("/")).stream().filter(s -> !s.isEmpty()).toList();
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
