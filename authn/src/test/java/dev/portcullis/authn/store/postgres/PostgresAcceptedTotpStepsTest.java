package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.AcceptedTotpSteps;
import dev.portcullis.authn.store.AcceptedTotpStepsContractTest;
import dev.portcullis.authn.store.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AcceptedTotpStepsContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test
 * a deployment with a table prefix of its own), and what is PostgreSQL's own: one row per scope and user.
 */
class PostgresAcceptedTotpStepsTest extends AcceptedTotpStepsContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final PostgresReplicas postgres = new PostgresReplicas("totp", COMMAND_TIMEOUT);

    @Override
    protected AcceptedTotpSteps onReplicaA() {
        return new PostgresAcceptedTotpSteps(postgres.replicaA(), "totp");
    }

    @Override
    protected AcceptedTotpSteps onReplicaB() {
        return new PostgresAcceptedTotpSteps(postgres.replicaB(), "totp");
    }

    @Override
    protected AcceptedTotpSteps withCommandTimeout(Duration commandTimeout) {
        return new PostgresAcceptedTotpSteps(postgres.connection(commandTimeout), "totp");
    }

    @Override
    protected TestServer server() {
        return postgres.server();
    }

    @Test
    void theRowHoldsTheLatestStepUntilTheLaterForgetAfter() throws Exception {
        Instant later = Instant.now().plusSeconds(90).truncatedTo(ChronoUnit.MILLIS);
        Instant earlier = later.minusSeconds(60);
        answer(onReplicaA().acceptLater("bob@example.com", STEP, later));
        answer(onReplicaB().acceptLater("bob@example.com", STEP + 1, earlier));

        List<String> rows = postgres.rows("SELECT scope, user_name, step, expires_at FROM "
                + postgres.table("totp_steps"));
        assertThat(rows).containsExactly("totp bob@example.com " + (STEP + 1) + " " + later);
    }
}
