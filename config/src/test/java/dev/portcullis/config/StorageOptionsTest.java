package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code databroker_storage_type} and its connection string, from the file and the environment: checked as
 * {@code validate} and {@code serve} see them, and {@code redis} refused until replicas share state.
 */
class StorageOptionsTest {

    private static final String REFUSED = "\"redis\" is not served yet (the connection string is valid): replicas"
            + " sharing sign-in state through Redis are not implemented, so every replica would keep its own (a hand-off"
            + " used on one accepted again by another, a sign-out on one not seen by the other); run a single replica"
            + " and remove databroker_storage_type (or set it to memory)";

    @TempDir
    Path dir;

    @Test
    void memoryLoadsWithoutAWord() throws ConfigException {
        assertThat(optionWarnings(load(dir, "databroker_storage_type: memory\n", env()))).isEmpty();
        assertThat(optionWarnings(load(dir, "", env("DATABROKER_STORAGE_TYPE", "Memory")))).isEmpty();
    }

    @Test
    void aValidRedisIsStillRefusedAsNotServedYet() {
        assertThat(problems(dir, """
                databroker_storage_type: redis
                databroker_storage_connection_string: redis://:pw@redis:6379/0
                """, env())).containsExactly("databroker_storage_type: " + REFUSED);
        assertThat(problems(dir, "", env("DATABROKER_STORAGE_TYPE", "redis",
                "DATABROKER_STORAGE_CONNECTION_STRING", "redis+sentinel://s1,s2/mymaster"))).containsExactly(
                "DATABROKER_STORAGE_TYPE (databroker_storage_type): " + REFUSED);
    }

    @Test
    void theConnectionStringFileIsReadAndTrimmed() {
        Path file = write(dir.resolve("redis-url"), "\n  rediss://:pw@redis:6380/2  \n");
        assertThat(problems(dir, "databroker_storage_type: redis\ndatabroker_storage_connection_string_file: " + file
                + "\n", env())).containsExactly("databroker_storage_type: " + REFUSED);
        assertThat(problems(dir, "", env("DATABROKER_STORAGE_TYPE", "redis",
                "DATABROKER_STORAGE_CONNECTION_STRING_FILE", file.toString()))).containsExactly(
                "DATABROKER_STORAGE_TYPE (databroker_storage_type): " + REFUSED);
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
                "databroker_storage_connection_string: port \"65536\" of redis is not a port (expected 1 to 65535)",
                "databroker_storage_type: \"redis\" is not served yet: replicas sharing sign-in state through Redis are"
                        + " not implemented, so every replica would keep its own (a hand-off used on one accepted again by"
                        + " another, a sign-out on one not seen by the other); run a single replica and remove"
                        + " databroker_storage_type (or set it to memory)");
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
    void postgresIsNotSupportedYetAndAnythingElseListsTheChoices() {
        assertThat(problems(dir, "databroker_storage_type: postgres\ndatabroker_storage_connection_string:"
                + " postgres://u:p@db/portcullis\n", env())).contains("databroker_storage_type: \"postgres\" is not"
                + " supported yet: Portcullis shares sign-in state through Redis (redis), or keeps it in memory for a"
                + " single replica (memory)");
        assertThat(problems(dir, "", env("DATABROKER_STORAGE_TYPE", "etcd"))).contains(
                "DATABROKER_STORAGE_TYPE (databroker_storage_type): \"etcd\" is not one of memory, redis");
    }

    @Test
    void withMemoryAConnectionStringIsNotParsedAndHasNoEffect() throws ConfigException {
        assertThat(optionWarnings(load(dir, "databroker_storage_connection_string: postgres://db/x\n", env())))
                .containsExactly("databroker_storage_connection_string: accepted but not implemented yet; it has no effect");
    }
}
