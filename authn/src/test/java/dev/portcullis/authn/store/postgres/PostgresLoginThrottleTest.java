package dev.portcullis.authn.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.store.LoginThrottleContractTest;
import dev.portcullis.authn.store.TestServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LoginThrottleContractTest} on one real PostgreSQL (two replicas, each with its own connection; each test a
 * deployment with a table prefix of its own), and what is PostgreSQL's own: the rows and when they expire.
 */
class PostgresLoginThrottleTest extends LoginThrottleContractTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String THROTTLE = "throttle";

    @RegisterExtension
    static final PostgresReplicas postgres = new PostgresReplicas("throttle", COMMAND_TIMEOUT);

    @Override
    protected LoginThrottle onReplicaA() {
        return new PostgresLoginThrottle(postgres.replicaA(), THROTTLE, clock);
    }

    @Override
    protected LoginThrottle onReplicaB() {
        return new PostgresLoginThrottle(postgres.replicaB(), THROTTLE, clock);
    }

    @Override
    protected LoginThrottle withCommandTimeout(Duration commandTimeout) {
        return new PostgresLoginThrottle(postgres.connection(commandTimeout), THROTTLE, clock);
    }

    @Override
    protected Duration inFlightLifetime() {
        return PostgresLoginThrottle.IN_FLIGHT_LIFETIME;
    }

    @Override
    protected TestServer server() {
        return postgres.server();
    }

    @Test
    void rowsExpireWhenTheyWouldCountForNothing() throws Exception {
        Replica a = new Replica(onReplicaA());
        fail(a, "Alice@example.com", "192.0.2.1");
        assertThat(a.begin("alice@example.com", "192.0.2.1")).isEmpty();
        Instant now = clock.instant();

        assertThat(postgres.rows("SELECT scope, who, failures, expires_at FROM " + postgres.table("throttle_failures")))
                .as("the window after the last failure").containsExactlyInAnyOrder(
                        "throttle account:alice@example.com 1 " + now.plus(MemoryLoginThrottle.WINDOW),
                        "throttle address:192.0.2.1 1 " + now.plus(MemoryLoginThrottle.WINDOW));
        assertThat(postgres.rows("SELECT scope, who, expires_at FROM " + postgres.table("throttle_attempts")))
                .containsExactlyInAnyOrder(
                        "throttle account:alice@example.com " + now.plus(PostgresLoginThrottle.IN_FLIGHT_LIFETIME),
                        "throttle address:192.0.2.1 " + now.plus(PostgresLoginThrottle.IN_FLIGHT_LIFETIME));

        a.finished("alice@example.com", "192.0.2.1");
        assertThat(postgres.rows("SELECT who FROM " + postgres.table("throttle_attempts"))).as("no attempt in flight")
                .isEmpty();
    }
}
