package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.OneTimeCodes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own connection, issuing and taking codes in one real Redis. */
class RedisOneTimeCodesTest {
    // Generous: these tests are about who gets a code, not about promptness (RedisStoreFaultsTest is).
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String CODES = "portcullis:code:";

    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        replicaA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        replicaB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
    }

    @AfterEach
    void stop() {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void aCodeIssuedOnOneReplicaIsTakenOnceOnAnyReplica() throws Exception {
        RedisOneTimeCodes<Account> a = codes(replicaA, CODES);
        RedisOneTimeCodes<Account> b = codes(replicaB, CODES);

        String code = answer(a.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(code).as("256 bits, base64url without padding").matches("[A-Za-z0-9_-]{43}");
        assertThat(answer(b.take(code))).as("taken on the other replica").contains(new Account("ada@example.com"));
        assertThat(answer(a.take(code))).as("then gone on the first").isEmpty();
        assertThat(answer(b.take(code))).as("and on the second").isEmpty();
        assertThat(answer(a.take("not-a-code"))).isEmpty();
    }

    @Test
    void whenBothReplicasRaceForOneCodeOnlyOneGetsIt() throws Exception {
        RedisOneTimeCodes<Account> a = codes(replicaA, CODES);
        RedisOneTimeCodes<Account> b = codes(replicaB, CODES);
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
    void aCodeIsGoneWhenItExpires() throws Exception {
        RedisOneTimeCodes<Account> a = codes(replicaA, CODES);
        RedisOneTimeCodes<Account> b = codes(replicaB, CODES);

        String past = answer(a.issue(new Account("late@example.com"), Instant.now().minusSeconds(1)));
        assertThat(answer(b.take(past))).as("a code whose expiry has passed").isEmpty();

        String code = answer(a.issue(new Account("soon@example.com"), Instant.now().plusMillis(300)));
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            // Taking would use the code up, so the test watches its key instead.
            assertThat(raw.sync().exists(CODES + code)).as("stored under prefix + code").isEqualTo(1L);
            eventually("Redis forgets the expired code", Duration.ofSeconds(5),
                    () -> raw.sync().exists(CODES + code) == 0L);
        } finally {
            client.shutdown();
        }
        assertThat(answer(b.take(code))).isEmpty();
    }

    @Test
    void aKeyPrefixKeepsTwoDeploymentsOnOneRedisApart() throws Exception {
        RedisOneTimeCodes<Account> first = codes(replicaA, "deployment-a:code:");
        RedisOneTimeCodes<Account> second = codes(replicaB, "deployment-b:code:");

        String code = answer(first.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(answer(second.take(code))).as("the other deployment does not know it").isEmpty();
        assertThat(answer(first.take(code))).as("and did not use it up").contains(new Account("ada@example.com"));
    }

    @Test
    void aValueTheCodecCannotReadFailsClosedAndUsesTheCodeUp() throws Exception {
        RedisOneTimeCodes<Account> writer = codes(replicaA, CODES);
        RedisOneTimeCodes<Account> otherVersion = new RedisOneTimeCodes<>(replicaB, CODES, new OneTimeCodes.Codec<>() {
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

    private static RedisOneTimeCodes<Account> codes(RedisStoreConnection redis, String prefix) {
        return new RedisOneTimeCodes<>(redis, prefix, new OneTimeCodes.Codec<>() {
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

    /** What the codes stand for in these tests. */
    record Account(String email) {}
}
