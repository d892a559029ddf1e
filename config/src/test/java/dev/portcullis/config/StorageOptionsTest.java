package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.storage.PostgresServer;
import dev.portcullis.config.storage.RedisCredentials;
import dev.portcullis.config.storage.RedisSentinel;
import dev.portcullis.config.storage.RedisServer;
import dev.portcullis.config.storage.ServerAddress;
import dev.portcullis.config.storage.StorageOptions;
import dev.portcullis.config.storage.StorageTls;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code databroker_storage_type} and its connection string, from the file and the environment: checked as
 * {@code validate} and {@code serve} see them: the Redis replicas share, its key prefix and TLS files.
 */
class StorageOptionsTest {

    @TempDir
    Path dir;

    @Test
    void memoryLoadsWithoutAWord() throws ConfigException {
        assertThat(optionWarnings(load(dir, "databroker_storage_type: memory\n", env()))).isEmpty();
        assertThat(optionWarnings(load(dir, "", env("DATABROKER_STORAGE_TYPE", "Memory")))).isEmpty();
    }

    @Test
    void aValidRedisIsReadWithTheDefaultKeyPrefix() throws ConfigException {
        StorageOptions storage = load(dir, """
                databroker_storage_type: redis
                databroker_storage_connection_string: redis://:pw@redis:6379/3
                """, env()).options().storage();
        assertThat(storage.connection()).contains(new RedisServer(new ServerAddress("redis", 6379), false,
                Optional.of(new RedisCredentials(Optional.empty(), "pw")), 3));
        assertThat(storage.keyPrefix()).isEqualTo("portcullis:");
        assertThat(storage.tls()).isEqualTo(StorageTls.SYSTEM);
        StorageOptions fromEnvironment = load(dir, "", env("DATABROKER_STORAGE_TYPE", "redis",
                "DATABROKER_STORAGE_CONNECTION_STRING", "redis+sentinel://s1,s2/mymaster",
                "DATABROKER_STORAGE_KEY_PREFIX", "home:")).options().storage();
        assertThat(fromEnvironment.connection()).get().isInstanceOf(RedisSentinel.class);
        assertThat(fromEnvironment.keyPrefix()).isEqualTo("home:");
        assertThat(fromEnvironment.toString()).doesNotContain("pw");
    }

    @Test
    void theConnectionStringFileIsReadAndTrimmed() throws ConfigException {
        Path file = write(dir.resolve("redis-url"), "\n  rediss://:pw@redis:6380/2  \n");
        assertThat(load(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string_file: " + file
                + "\n", env()).options().storage().connection()).contains(new RedisServer(new ServerAddress("redis", 6380),
                true, Optional.of(new RedisCredentials(Optional.empty(), "pw")), 2));
        assertThat(load(dir, "", env("DATABROKER_STORAGE_TYPE", "redis",
                "DATABROKER_STORAGE_CONNECTION_STRING_FILE", file.toString())).options().storage().connection()).isPresent();
    }

    @Test
    void aKeyPrefixMustBePrintableWithoutSpaces() {
        assertThat(problems(dir, """
                databroker_storage_type: redis
                databroker_storage_connection_string: redis://redis
                databroker_storage_key_prefix: "two words:"
                """, env())).containsExactly("databroker_storage_key_prefix: \"two words:\" is not a key prefix (expected"
                + " 1 to 64 printable characters without spaces, e.g. portcullis:)");
    }

    @Test
    void aRedisClusterIsRefusedNamingWhatToUseInstead() {
        assertThat(problems(dir, """
                databroker_storage_type: redis
                databroker_storage_connection_string: redis+cluster://n1,n2
                """, env())).singleElement().asString().startsWith("databroker_storage_connection_string: redis+cluster is"
                + " not supported").contains("redis+sentinel://");
    }

    @Test
    void tlsFilesAreReadForRedissAndAClientCertificateNeedsItsKey() throws Exception {
        Path ca = write(dir.resolve("ca.pem"), TestCertificates.ca("redis ca").certificatePem());
        StorageTls tls = load(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string: rediss://redis\n"
                + "databroker_storage_ca_file: " + ca + "\ndatabroker_storage_tls_skip_verify: true\n", env())
                .options().storage().tls();
        assertThat(tls.caPem()).get().asString().contains("BEGIN CERTIFICATE");
        assertThat(tls.skipVerify()).isTrue();
        assertThat(problems(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string: rediss://redis\n"
                + "databroker_storage_cert_file: " + ca + "\n", env())).containsExactly("databroker_storage_cert_file:"
                + " needs databroker_storage_key_file as well: a client certificate is presented with its private key");
        assertThat(problems(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string: rediss://redis\n"
                + "databroker_storage_ca_file: " + dir.resolve("missing.pem") + "\n", env())).singleElement().asString()
                .startsWith("databroker_storage_ca_file: ");
    }

    @Test
    void tlsFilesWithoutRedissAreAWarning() throws ConfigException {
        Path ca = write(dir.resolve("ca.pem"), TestCertificates.ca("redis ca").certificatePem());
        assertThat(optionWarnings(load(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string:"
                + " redis://redis\ndatabroker_storage_ca_file: " + ca + "\n", env()))).containsExactly(
                "databroker_storage_ca_file has no effect: the connection string does not ask for TLS (rediss://)");
    }

    @Test
    void redisWithoutAConnectionStringNamesBothOptions() {
        assertThat(problems(dir, "databroker_storage_type: redis\n", env())).first().isEqualTo(
                "databroker_storage_type: redis needs the Redis to connect to: set databroker_storage_connection_string"
                        + " or databroker_storage_connection_string_file (e.g. redis://:password@redis:6379/0)");
    }

    @Test
    void bothFormsInOneSourceAreAProblemNamingBoth() {
        Path file = write(dir.resolve("redis-url"), "redis://redis\n");
        assertThat(problems(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string: redis://r\n"
                + "databroker_storage_connection_string_file: " + file + "\n", env())).first().isEqualTo(
                "databroker_storage_connection_string_file: conflicts with databroker_storage_connection_string (set only"
                        + " one of databroker_storage_connection_string, databroker_storage_connection_string_file)");
    }

    @Test
    void aWrongConnectionStringIsNamedByItsPathOrVariableWithoutThePassword() {
        assertThat(problems(dir, """
                databroker_storage_type: redis
                databroker_storage_connection_string: "redis://:hunter22@redis:65536/0"
                """, env())).containsExactly(
                "databroker_storage_connection_string: port \"65536\" of redis is not a port (expected 1 to 65535)");
        List<String> fromEnvironment = problems(dir, "", env("DATABROKER_STORAGE_TYPE", "redis",
                "DATABROKER_STORAGE_CONNECTION_STRING", "redis://:hunter22@redis/zero"));
        assertThat(fromEnvironment).first().isEqualTo("DATABROKER_STORAGE_CONNECTION_STRING"
                + " (databroker_storage_connection_string): database \"zero\" is not a database number (expected 0 or"
                + " more, e.g. /0)");
        assertThat(fromEnvironment).allSatisfy(p -> assertThat(p).doesNotContain("hunter22"));
    }

    @Test
    void aMissingOrEmptyFileIsAProblemAtTheFileOption() {
        assertThat(problems(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string_file:"
                + " /nonexistent/redis-url\n", env())).first().isEqualTo(
                "databroker_storage_connection_string_file: \"/nonexistent/redis-url\": no such file");
        Path empty = write(dir.resolve("empty"), " \n");
        assertThat(problems(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string_file: " + empty
                + "\n", env())).first().isEqualTo("databroker_storage_connection_string_file: names an empty file"
                + " (expected a file holding e.g. redis://:password@redis:6379/0)");
    }

    @Test
    void postgresReadsPomeriumsUrlWithTheTablePrefixAndAnythingElseListsTheChoices() throws ConfigException {
        StorageOptions storage = load(dir, """
                databroker_storage_type: postgres
                databroker_storage_connection_string: "postgresql://portcullis:s%40cret@db:5433/sessions?sslmode=verify-full"
                """, env()).options().storage();
        assertThat(storage.connection()).contains(new PostgresServer(new ServerAddress("db", 5433),
                Optional.of("portcullis"), Optional.of("s@cret"), Optional.of("sessions"), "verify-full"));
        assertThat(storage.connection().orElseThrow().tls()).isTrue();
        assertThat(storage.keyPrefix()).isEqualTo("portcullis_");
        assertThat(storage.toString()).doesNotContain("s@cret");
        assertThat(load(dir, "", env("DATABROKER_STORAGE_TYPE", "postgres", "DATABROKER_STORAGE_CONNECTION_STRING",
                "postgres://db")).options().storage().connection()).contains(new PostgresServer(
                new ServerAddress("db", 5432), Optional.empty(), Optional.empty(), Optional.empty(), "prefer"));
        assertThat(problems(dir, "", env("DATABROKER_STORAGE_TYPE", "etcd"))).contains(
                "DATABROKER_STORAGE_TYPE (databroker_storage_type): \"etcd\" is not one of memory, redis, postgres");
    }

    @Test
    void aWrongPostgresStringIsNamedWithoutItsPassword() {
        assertThat(problems(dir, "databroker_storage_type: postgres\n", env())).first().asString()
                .startsWith("databroker_storage_type: postgres needs the database to connect to");
        assertThat(problems(dir, """
                databroker_storage_type: postgres
                databroker_storage_connection_string: "host=db user=u password=hunter22"
                """, env())).singleElement().asString().contains("key=value form").doesNotContain("hunter22");
        assertThat(problems(dir, """
                databroker_storage_type: postgres
                databroker_storage_connection_string: "postgres://u:hunter22@db/x?sslmode=sometimes&pool_max_conns=4"
                databroker_storage_key_prefix: "portcullis:"
                """, env())).containsExactlyInAnyOrder(
                "databroker_storage_connection_string: sslmode \"sometimes\" is not one of [allow, disable, prefer,"
                        + " require, verify-ca, verify-full]",
                "databroker_storage_connection_string: the query parameter \"pool_max_conns\" is not one Portcullis reads"
                        + " (sslmode, connect_timeout, application_name)",
                "databroker_storage_key_prefix: \"portcullis:\" is not a table prefix (with postgres: a lower-case letter"
                        + " or _, then up to 23 lower-case letters, digits or _, e.g. portcullis_)");
    }

    @Test
    void withMemoryAConnectionStringIsNotParsedAndHasNoEffect() throws ConfigException {
        assertThat(optionWarnings(load(dir, "databroker_storage_connection_string: postgres://db/x\n", env())))
                .containsExactly("databroker_storage_connection_string has no effect: sign-in state is kept in memory"
                        + " unless databroker_storage_type is redis or postgres");
    }
}
