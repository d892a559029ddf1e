package dev.portcullis.config.internal.options;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigProblem;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.storage.ServerAddress;
import dev.portcullis.config.storage.RedisCluster;
import dev.portcullis.config.storage.RedisCredentials;
import dev.portcullis.config.storage.RedisSentinel;
import dev.portcullis.config.storage.RedisServer;
import dev.portcullis.config.storage.StorageConnection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pomerium's Redis connection strings (go-redis's {@code ParseURL}, Pomerium's {@code ParseSentinelURL} and
 * {@code ParseClusterURL} before 0.21) read into typed values; the wrong ones refused without their password.
 */
class RedisConnectionStringTest {

    private static final ConfigPath AT = ConfigPath.of("databroker_storage_connection_string");
    private static final String SECRET = "s3cr/et?#@pw";
    private static final String ENCODED = "s3cr%2Fet%3F%23%40pw";

    private final Diagnostics diagnostics = new Diagnostics();

    private StorageConnection read(String text) {
        Optional<StorageConnection> read = RedisConnectionString.read(text, AT, diagnostics);
        assertThat(diagnostics.problems()).as(text).isEmpty();
        return read.orElseThrow();
    }

    private List<String> problems(String text) {
        assertThat(RedisConnectionString.read(text, AT, diagnostics)).as(text).isEmpty();
        return diagnostics.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static Optional<RedisCredentials> password(String user, String password) {
        return Optional.of(new RedisCredentials(Optional.ofNullable(user), password));
    }

    @Test
    void oneServerWithItsDefaults() {
        assertThat(read("redis://redis")).isEqualTo(new RedisServer(new ServerAddress("redis", 6379), false,
                Optional.empty(), 0));
        assertThat(read("redis://")).isEqualTo(new RedisServer(new ServerAddress("localhost", 6379), false,
                Optional.empty(), 0));
        assertThat(read("  redis://redis:6380/  ")).isEqualTo(new RedisServer(new ServerAddress("redis", 6380), false,
                Optional.empty(), 0));
    }

    @Test
    void oneServerWithPasswordUserDatabaseAndTls() {
        assertThat(read("redis://:" + ENCODED + "@redis:6379/3")).isEqualTo(new RedisServer(
                new ServerAddress("redis", 6379), false, password(null, SECRET), 3));
        assertThat(read("rediss://portcullis:p%40ss@10.0.0.5/15")).isEqualTo(new RedisServer(
                new ServerAddress("10.0.0.5", 6379), true, password("portcullis", "p@ss"), 15));
        assertThat(read("REDISS://[::1]:7000")).isEqualTo(new RedisServer(new ServerAddress("::1", 7000), true,
                Optional.empty(), 0));
        assertThat(read("redis://[fd00::5]/1").toString()).contains("[fd00::5]:6379");
        assertThat(((RedisServer) read("redis://redis/1?db=4")).database()).isEqualTo(4);
    }

    @Test
    void sentinelAsPomeriumReadItThePasswordBeforeTheHostsIsTheSentinels() {
        assertThat(read("redis+sentinel://:" + ENCODED + "@s1,s2:26380,[::1]/mymaster/2?username=app&password=m%2Bpw"))
                .isEqualTo(new RedisSentinel(List.of(new ServerAddress("s1", 26379), new ServerAddress("s2", 26380),
                        new ServerAddress("::1", 26379)), false, password(null, SECRET), "mymaster",
                        password("app", "m+pw"), 2));
        assertThat(read("redis-sentinels://s1:26379/primary")).isEqualTo(new RedisSentinel(
                List.of(new ServerAddress("s1", 26379)), true, Optional.empty(), "primary", Optional.empty(), 0));
        assertThat(((RedisSentinel) read("rediss+sentinel://s1/m/0")).tls()).isTrue();
    }

    @Test
    void clusterFromItsSeedNodes() {
        assertThat(read("redis+cluster://u:" + ENCODED + "@n1:7000,n2:7001,n3")).isEqualTo(new RedisCluster(
                List.of(new ServerAddress("n1", 7000), new ServerAddress("n2", 7001), new ServerAddress("n3", 6379)),
                false, password("u", SECRET)));
        assertThat(((RedisCluster) read("redis+clusters://n1/")).tls()).isTrue();
        assertThat(((RedisCluster) read("rediss-cluster://n1/0")).tls()).isTrue();
    }

    @Test
    void aTuningParameterOfPomeriumsClientLoadsWithAWarning() {
        read("redis+cluster://n1?dial_timeout=3s&read_only=true");
        assertThat(diagnostics.warnings()).containsExactly(
                "databroker_storage_connection_string: the query parameter \"dial_timeout\" (a tuning of Pomerium's"
                        + " Redis client) has no effect; Portcullis uses its own timeouts and pool",
                "databroker_storage_connection_string: the query parameter \"read_only\" (a tuning of Pomerium's"
                        + " Redis client) has no effect; Portcullis uses its own timeouts and pool");
    }

    @Test
    void toStringNeverShowsAPassword() {
        for (String text : List.of("redis://u:" + ENCODED + "@r/1", "redis+cluster://:" + ENCODED + "@n1",
                "redis+sentinel://:" + ENCODED + "@s1/m?password=" + ENCODED)) {
            assertThat(read(text).toString()).doesNotContain(SECRET).doesNotContain(ENCODED).contains("(redacted)");
        }
    }

    @Test
    void mistakesAreNamedWithoutTheString() {
        assertThat(problems("redis://:pw@redis:0/x")).containsExactly(
                "databroker_storage_connection_string: database \"x\" is not a database number (expected 0 or more, e.g. /0)",
                "databroker_storage_connection_string: port \"0\" of redis is not a port (expected 1 to 65535)");
    }

    @Test
    void eachKindOfMistake() {
        assertThat(problems("redis:6379")).singleElement().asString().endsWith(
                "is not a Redis URL: it does not start with a scheme such as redis:// (expected e.g."
                        + " redis://:password@redis:6379/0)");
        assertThat(problems("http://:pw@redis")).last().asString().endsWith("scheme \"http\" is not one of redis, rediss,"
                + " redis+sentinel, rediss+sentinel, redis+cluster, rediss+cluster (expected e.g. redis://:password@redis:6379/0)");
        assertThat(problems("redis://a,b")).last().asString().endsWith(
                "names 2 hosts: only redis+sentinel:// and redis+cluster:// take several");
        assertThat(problems("redis://r/1/2")).last().asString().endsWith(
                "has the path \"/1/2\": only a database number may follow the host (/0)");
        assertThat(problems("redis://r/-1")).last().asString().endsWith("database \"-1\" is not a database number"
                + " (expected 0 or more, e.g. /0)");
        assertThat(problems("redis://::1:6379")).last().asString().endsWith(
                "host \"::1:6379\" looks like an IPv6 address: put it in brackets ([::1]:6379)");
        assertThat(problems("redis://[::1")).last().asString().endsWith(
                "host \"[::1\" is not an IPv6 address in brackets (expected e.g. [::1]:6379)");
        assertThat(problems("redis+sentinel://s1")).last().asString().endsWith("names no primary: a Sentinel URL ends"
                + " with the name Sentinel knows it by (redis+sentinel://sentinel:26379/mymaster/0)");
        assertThat(problems("redis+sentinel://s1,/m")).last().asString().endsWith(
                "names no host (expected e.g. redis://:password@redis:6379/0)");
        assertThat(problems("redis+cluster://n1/2")).last().asString().endsWith(
                "has the path \"/2\": a Redis Cluster has only database 0, so nothing follows the hosts");
        assertThat(problems("redis://user@r")).last().asString().endsWith("has a user name but no password (expected"
                + " redis://user:password@host, or redis://:password@host for the default user)");
        assertThat(problems("redis://r?password=x")).last().asString().endsWith("has a username or password parameter:"
                + " this form takes them before the host (redis://user:password@host)");
        assertThat(problems("unix:///run/redis.sock")).last().asString().endsWith(
                "names a Unix socket, which is not supported; use redis://host:port");
        assertThat(problems("redis+sentinel+cluster://s1/m")).last().asString().contains("is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://:s3cr3tpw@redis:99999/0",
        "redis://admin:s3cr3tpw@/x",
        "redis://:s3cr3tpw%zz@redis",
        "redis://:s3cr3tpw/x@redis",
        "redis://:s3cr3tpw?x@redis",
        "redis://:s3cr3tpw#x@redis",
        "rediss+sentinel://:s3cr3tpw@s1/?password=s3cr3tpw%",
        "ftp://:s3cr3tpw@redis",
        "redis://:s3cr3tpw@::1",
        "redis+cluster://:s3cr3tpw@n1/5",
        "redis+sentinel://:s3cr3tpw@s1"})
    void noProblemRepeatsThePassword(String text) {
        assertThat(problems(text)).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain("s3cr3tpw"));
        assertThat(diagnostics.warnings()).allSatisfy(w -> assertThat(w).doesNotContain("s3cr3tpw"));
    }
}
