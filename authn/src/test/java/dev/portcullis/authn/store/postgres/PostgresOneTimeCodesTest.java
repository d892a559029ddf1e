package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.OneTimeCodesContractTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OneTimeCodesContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test a
 * deployment with a table prefix of its own), and what is PostgreSQL's own: rows, their cleanup, and scopes.
 */
class PostgresOneTimeCodesTest extends OneTimeCodesContractTest {
    // Generous: these tests are about who gets a code, not about promptness (PostgresStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final PostgresReplicas postgres = new PostgresReplicas("codes", COMMAND_TIMEOUT);

    @Override
    protected <V> OneTimeCodes<V> onReplicaA(OneTimeCodes.Codec<V> codec) {
        return new PostgresOneTimeCodes<>(postgres.replicaA(), "code", codec);
    }

    @Override
    protected <V> OneTimeCodes<V> onReplicaB(OneTimeCodes.Codec<V> codec) {
        return new PostgresOneTimeCodes<>(postgres.replicaB(), "code", codec);
    }

    @Override
    protected <V> OneTimeCodes<V> ofAnotherDeployment(OneTimeCodes.Codec<V> codec) {
        PostgresStoreConnection other = postgres.connection(postgres.tablePrefix() + "other_", COMMAND_TIMEOUT);
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
        assertThat(answer(postgres.replicaB().deleteExpired())).isEqualTo(1);
        assertThat(codesStored()).containsExactly("code " + live);
    }

    @Test
    void aScopeKeepsTwoStoresApart() throws Exception {
        PostgresOneTimeCodes<Account> first = new PostgresOneTimeCodes<>(postgres.replicaA(), "builtin_code", ACCOUNTS);
        PostgresOneTimeCodes<Account> second = new PostgresOneTimeCodes<>(postgres.replicaB(), "totp_ticket", ACCOUNTS);

        String code = answer(first.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(answer(second.take(code))).as("the other store does not know it").isEmpty();
        assertThat(answer(first.take(code))).as("and did not use it up").contains(new Account("ada@example.com"));
    }

    private List<String> codesStored() throws Exception {
        return postgres.rows("SELECT scope, code FROM " + postgres.table("one_time_codes"));
    }
}
