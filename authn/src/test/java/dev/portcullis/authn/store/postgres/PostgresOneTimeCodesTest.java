package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreObserver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, issuing and taking codes in one real PostgreSQL. */
class PostgresOneTimeCodesTest {
    // Generous: these tests are about who gets a code, not about promptness (PostgresStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static TestPostgres postgres;

    private String tablePrefix;
    private PostgresStoreConnection replicaA;
    private PostgresStoreConnection replicaB;

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
    }

    @Test
    void aCodeIssuedOnOneReplicaIsTakenOnceOnAnyReplica() throws Exception {
        PostgresOneTimeCodes<Account> a = codes(replicaA, "code");
        PostgresOneTimeCodes<Account> b = codes(replicaB, "code");

        String code = answer(a.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(code).as("256 bits, base64url without padding").matches("[A-Za-z0-9_-]{43}");
        assertThat(answer(b.take(code))).as("taken on the other replica").contains(new Account("ada@example.com"));
        assertThat(answer(a.take(code))).as("then gone on the first").isEmpty();
        assertThat(answer(b.take(code))).as("and on the second").isEmpty();
        assertThat(answer(a.take("not-a-code"))).isEmpty();
    }

    @Test
    void whenBothReplicasRaceForOneCodeOnlyOneGetsIt() throws Exception {
        PostgresOneTimeCodes<Account> a = codes(replicaA, "code");
        PostgresOneTimeCodes<Account> b = codes(replicaB, "code");
        for (int round = 0; round < 50; round++) {
            String code = answer(a.issue(new Account("round-" + round), Instant.now().plusSeconds(60)));
            List<CompletionStage<Optional<Account>>> takes = new ArrayList<>();
            for (int take = 0; take < 4; take++) {
                takes.add((take % 2 == 0 ? a : b).take(code));
            }
            int got = 0;
            for (CompletionStage<Optional<Account>> take : takes) {
                got += answer(take).isPresent() ? 1 : 0;
            }
            assertThat(got).as("takes that got the code of round %d", round).isEqualTo(1);
        }
    }

    @Test
    void anExpiredCodeIsNotAcceptedAndTheCleanupDeletesIt() throws Exception {
        PostgresOneTimeCodes<Account> a = codes(replicaA, "code");
        PostgresOneTimeCodes<Account> b = codes(replicaB, "code");

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
        PostgresOneTimeCodes<Account> first = codes(replicaA, "builtin_code");
        PostgresOneTimeCodes<Account> second = codes(replicaB, "totp_ticket");

        String code = answer(first.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(answer(second.take(code))).as("the other store does not know it").isEmpty();
        assertThat(answer(first.take(code))).as("and did not use it up").contains(new Account("ada@example.com"));
    }

    @Test
    void aValueTheCodecCannotReadFailsClosedAndUsesTheCodeUp() throws Exception {
        PostgresOneTimeCodes<Account> writer = codes(replicaA, "code");
        PostgresOneTimeCodes<Account> otherVersion = new PostgresOneTimeCodes<>(replicaB, "code",
                new OneTimeCodes.Codec<>() {
                    @Override
                    public String encode(Account value) {
                        return "v2:" + value.email();
                    }

                    @Override
                    public Account decode(String encoded) {
                        if (!encoded.startsWith("v2:")) {
                            throw new IllegalArgumentException("not a v2 value");
                        }
                        return new Account(encoded.substring(3));
                    }
                });

        String code = answer(writer.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(unavailable(otherVersion.take(code)).getMessage()).doesNotContain("ada@example.com");
        assertThat(answer(writer.take(code))).as("used up").isEmpty();
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

    private static PostgresOneTimeCodes<Account> codes(PostgresStoreConnection postgres, String scope) {
        return new PostgresOneTimeCodes<>(postgres, scope, new OneTimeCodes.Codec<>() {
            @Override
            public String encode(Account value) {
                return value.email();
            }

            @Override
            public Account decode(String encoded) {
                return new Account(encoded);
            }
        });
    }

    private static PostgresStoreConnection connection(String tablePrefix) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, TestPostgres.PASSWORD,
                new Properties(), tablePrefix, COMMAND_TIMEOUT, StoreObserver.NONE);
    }

    /** What the codes stand for in these tests. */
    record Account(String email) {}
}
