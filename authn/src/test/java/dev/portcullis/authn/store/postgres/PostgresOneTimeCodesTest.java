package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.OneTimeCodesContractTest;
import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OneTimeCodesContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test a
 * deployment with a table prefix of its own), and what is PostgreSQL's own: rows, their cleanup, and scopes.
 */
class PostgresOneTimeCodesTest extends OneTimeCodesContractTest {
    // Generous: these tests are about who gets a code, not about promptness (PostgresStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;
    private final List<PostgresStoreConnection> others = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void connect() {
        tablePrefix = "codes_" + DEPLOYMENTS.incrementAndGet() + "_";
        replicaA = connection(tablePrefix);
        replicaB = connection(tablePrefix);
    }

    @AfterEach
    void disconnect() {
        replicaA.close();
        replicaB.close();
        others.forEach(PostgresStoreConnection::close);
    }

    @Override
    protected <V> OneTimeCodes<V> onReplicaA(OneTimeCodes.Codec<V> codec) {
        return new PostgresOneTimeCodes<>(replicaA, "code", codec);
    }

    @Override
    protected <V> OneTimeCodes<V> onReplicaB(OneTimeCodes.Codec<V> codec) {
        return new PostgresOneTimeCodes<>(replicaB, "code", codec);
    }

    @Override
    protected <V> OneTimeCodes<V> ofAnotherDeployment(OneTimeCodes.Codec<V> codec) {
        PostgresStoreConnection other = connection(tablePrefix + "other_");
        others.add(other);
        return new PostgresOneTimeCodes<>(other, "code", codec);
    }

    @Test
    void anExpiredCodeIsNotAcceptedAndTheCleanupDeletesIt() throws Exception {
        OneTimeCodes<Account> a = onReplicaA(ACCOUNTS);
        OneTimeCodes<Account> b = onReplicaB(ACCOUNTS);

        String past = answer(a.issue(new Account("late@example.com"), Instant.now().minusSeconds(1)));
        assertThat(answer(b.take(past))).as("a code whose expiry has passed").isEmpty();
        assertThat(codesStored()).as("and it is used up").isEmpty();

        String expired = answer(a.issue(new Account("never@example.com"), Instant.now().minusMillis(1)));
        String live = answer(a.issue(new Account("soon@example.com"), Instant.now().plusSeconds(60)));
        assertThat(codesStored()).as("stored under the scope and the code").containsExactlyInAnyOrder(
                "code " + expired, "code " + live);
        assertThat(answer(replicaB.deleteExpired())).isEqualTo(1);
        assertThat(codesStored()).containsExactly("code " + live);
    }

    @Test
    void aScopeKeepsTwoStoresApart() throws Exception {
        PostgresOneTimeCodes<Account> first = new PostgresOneTimeCodes<>(replicaA, "builtin_code", ACCOUNTS);
        PostgresOneTimeCodes<Account> second = new PostgresOneTimeCodes<>(replicaB, "totp_ticket", ACCOUNTS);

        String code = answer(first.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(answer(second.take(code))).as("the other store does not know it").isEmpty();
        assertThat(answer(first.take(code))).as("and did not use it up").contains(new Account("ada@example.com"));
    }

    private List<String> codesStored() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT scope, code FROM " + tablePrefix + "one_time_codes")) {
            while (row.next()) {
                rows.add(row.getString(1) + " " + row.getString(2));
            }
        }
        return rows;
    }

    private static PostgresStoreConnection connection(String tablePrefix) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, COMMAND_TIMEOUT, StoreObserver.NONE);
    }
}
