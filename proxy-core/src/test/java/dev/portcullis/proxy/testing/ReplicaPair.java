package dev.portcullis.proxy.testing;

import dev.portcullis.authn.store.postgres.TestPostgres;
import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.authn.testing.TestClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two proxies sharing sign-in state through one real Redis, behind a real HAProxy doing round robin, as replicas
 * run in production: the routes and the authenticate host are named with HAProxy's port, so every step of a sign-in
 * goes through it and lands on either replica. HAProxy tells which replica answered ({@code X-Served-By: r1} or
 * {@code r2}), and a request carrying {@code X-Replica: r1} (or {@code r2}) goes to that one, so a test can send a
 * step to the other replica on purpose.
 *
 * <p>Routes: {@code app.test} (alice@example.com only), {@code any.test} (anyone signed in) and {@code public.test}
 * (anyone), all to one recording upstream; OpenID Connect sign-in against a real provider, or the built-in provider
 * with one users file that both replicas read ({@link #startBuiltin}).
 */
public final class ReplicaPair implements AutoCloseable {
    /** The connection string of a Redis without password or TLS, for {@link #start}'s {@code extra}. */
    public static final String PLAIN_REDIS = "databroker_storage_connection_string: redis://REDIS/0";

    public final TestIdentityProvider idp = new TestIdentityProvider();
    /** Both replicas' time (sessions, revocations, a noticed loss of Redis's data): move it instead of waiting. */
    public final TestClock clock = new TestClock();
    public final TestUpstream upstream;
    /** The Redis the replicas share; null when they share a PostgreSQL database ({@link #startOnPostgres}). */
    public final TestRedis redis;
    /** The store the pair closes at the end: the Redis, or the PostgreSQL. */
    private final AutoCloseable store;
    /** The {@code databroker_storage_*} lines of both replicas. */
    private final String storage;
    /** HAProxy's port: the one a browser uses. */
    public final int port;
    private final int[] replicaPorts;
    private final RunningProxy[] replicas = new RunningProxy[2];
    private final TestHaproxy haproxy;
    private final String extra;
    private final Optional<Path> usersFile;

    private ReplicaPair(TestRedis redis, String extra, Optional<Path> usersFile) throws Exception {
        this(redis, redis, "databroker_storage_type: redis", extra, usersFile);
    }

    private ReplicaPair(TestRedis redis, AutoCloseable store, String storage, String extra, Optional<Path> usersFile)
            throws Exception {
        this.redis = redis;
        this.store = store;
        this.storage = storage;
        this.extra = extra;
        this.usersFile = usersFile;
        this.upstream = new TestUpstream("app");
        this.replicaPorts = new int[] {TestIdentityProvider.freePort(), TestIdentityProvider.freePort()};
        this.haproxy = TestHaproxy.start(port -> """
                frontend browsers
                    bind 127.0.0.1:%d
                    default_backend replicas

                backend replicas
                    balance roundrobin
                    option http-server-close
                    use-server r1 if { req.hdr(x-replica) -m str r1 }
                    use-server r2 if { req.hdr(x-replica) -m str r2 }
                    http-response set-header X-Served-By %%[srv_name]
                    server r1 127.0.0.1:%d
                    server r2 127.0.0.1:%d
                """.formatted(port, replicaPorts[0], replicaPorts[1]));
        this.port = haproxy.port();
        try {
            for (int i = 0; i < 2; i++) {
                replicas[i] = startReplica(i);
            }
        } catch (Exception | Error e) {
            closeAllButTheStore(); // the caller closes the store it gave
            throw e;
        }
    }

    /**
     * Starts both replicas on {@code redis} (which may not be running yet); {@code extra} is top-level YAML added to
     * their configuration, with {@code REDIS} standing for {@code 127.0.0.1:<redis port>} and {@code PORT} for
     * HAProxy's port.
     */
    public static ReplicaPair start(TestRedis redis, String extra) throws Exception {
        return start(redis, extra, Optional.empty());
    }

    /** As {@link #start}, with {@code idp_provider: builtin}: both replicas read the users of {@code usersFile}. */
    public static ReplicaPair startBuiltin(TestRedis redis, Path usersFile, String extra) throws Exception {
        return start(redis, extra, Optional.of(usersFile));
    }

    /**
     * Starts both replicas on one PostgreSQL database ({@code databroker_storage_type: postgres}), with the OpenID
     * Connect provider; {@code extra} is top-level YAML as for {@link #start}.
     */
    public static ReplicaPair startOnPostgres(TestPostgres postgres, String extra) throws Exception {
        ReplicaPair pair = null;
        try {
            pair = new ReplicaPair(null, postgres, """
                    databroker_storage_type: postgres
                    databroker_storage_connection_string: "postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable"
                    """.formatted(TestPostgres.USER, TestPostgres.PASSWORD, postgres.port()), extra, Optional.empty());
            return pair;
        } finally {
            if (pair == null) {
                postgres.close();
            }
        }
    }

    private static ReplicaPair start(TestRedis redis, String extra, Optional<Path> usersFile) throws Exception {
        ReplicaPair pair = null;
        try {
            pair = new ReplicaPair(redis, extra, usersFile);
            return pair;
        } finally {
            if (pair == null) {
                redis.close();
            }
        }
    }

    /** The shared store as the test started it, e.g. {@code store(TestPostgres.class)}. */
    public <T> T store(Class<T> type) {
        return type.cast(store);
    }

    /** Replica {@code index} (0 or 1). */
    public RunningProxy replica(int index) {
        return replicas[index];
    }

    /** Stops replica {@code index} and starts it again with the same configuration, as a restarted pod. */
    public void restart(int index) throws Exception {
        replicas[index].close();
        replicas[index] = startReplica(index);
    }

    /** A browser whose requests for {@code *.test} go to HAProxy. */
    public SignInClient browser() {
        return new SignInClient(port);
    }

    /** {@code http://<host>.test:<haproxy port><path>}. */
    public String url(String host, String path) {
        return "http://" + host + ".test:" + port + path;
    }

    private RunningProxy startReplica(int index) throws Exception {
        return RunningProxy.start("""
                address: 127.0.0.1:%1$d
                authenticate_service_url: http://authenticate.test:%2$d
                %3$s
                cookie_secure: false
                %6$s
                %5$s
                routes:
                  - from: http://app.test:%2$d
                    to: %4$s
                    policy:
                      - allow:
                          or:
                            - email:
                                is: alice@example.com
                  - from: http://any.test:%2$d
                    to: %4$s
                    allow_any_authenticated_user: true
                  - from: http://public.test:%2$d
                    to: %4$s
                    allow_public_unauthenticated_access: true
                """.formatted(replicaPorts[index], port, identityProvider(), upstream.url(),
                extra.replace("REDIS", redis == null ? "" : "127.0.0.1:" + redis.port()).replace("PORT", Integer.toString(port)),
                storage), Map.of(), clock);
    }

    private String identityProvider() {
        return usersFile.map(users -> "idp_provider: builtin\nbuiltin_users_file: " + users)
                .orElseGet(() -> "idp_provider: oidc\nidp_provider_url: %s\nidp_client_id: %s\nidp_client_secret: %s"
                        .formatted(idp.issuerUrl(), TestIdentityProvider.CLIENT_ID, TestIdentityProvider.CLIENT_SECRET));
    }

    /** The replicas that answered these hops ({@code X-Served-By}), in order. */
    public static List<String> servedBy(List<SignInClient.Answer> hops) {
        List<String> by = new ArrayList<>();
        hops.forEach(hop -> hop.header("x-served-by").ifPresent(by::add));
        return by;
    }

    private void closeAllButTheStore() {
        for (RunningProxy replica : replicas) {
            if (replica != null) {
                replica.close();
            }
        }
        haproxy.close();
        upstream.close();
        idp.close();
    }

    @Override
    public void close() {
        closeAllButTheStore();
        try {
            store.close();
        } catch (Exception e) {
            throw new IllegalStateException("the shared store did not stop", e);
        }
    }
}
