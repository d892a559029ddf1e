package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.answersAtAll;
import static dev.portcullis.authn.store.Answers.describedFully;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.PlainCodec;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What the Redis stores answer when Redis cannot: stopped, frozen, not there yet, asking for another password, full.
 * Every such answer is a {@link StoreUnavailable} within moments (never {@code true}, {@code false} or empty), and
 * the same store works again once Redis does.
 */
class RedisStoreFaultsTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Lettuce reconnects with a back-off of at most a second; this leaves room for a slow machine. */
    private static final Duration HEALED = Duration.ofSeconds(15);
    private static final String PASSWORD = "s3cret-Redis-pw";

    @Test
    void whileRedisIsStoppedEveryAnswerIsStoreUnavailableAndTheSameStoresWorkOnceItIsBack() throws Exception {
        try (TestRedis redis = TestRedis.start();
                RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT)) {
            RedisSingleUse claims = new RedisSingleUse(connection, "portcullis:handoff:");
            RedisOneTimeCodes<String> codes = new RedisOneTimeCodes<>(connection, "portcullis:code:", new PlainCodec());
            assertThat(answer(claims.claim("before", inAMinute()))).isTrue();
            String code = answer(codes.issue("ada@example.com", inAMinute()));

            redis.stop();
            assertThat(unavailable(claims.claim("during", inAMinute())).getMessage()).doesNotContain("during");
            unavailable(codes.issue("ada@example.com", inAMinute()));
            assertThat(unavailable(codes.take(code)).getMessage()).doesNotContain(code);

            redis.startAgain();
            eventually("the same store claims again after Redis restarted", HEALED,
                    answersAtAll(() -> claims.claim("after", inAMinute())));
            assertThat(answer(claims.claim("after", inAMinute()))).as("and remembers").isFalse();
            String next = answer(codes.issue("ada@example.com", inAMinute()));
            assertThat(answer(codes.take(next))).contains("ada@example.com");
        }
    }

    @Test
    void aRedisThatAcceptsButNeverAnswersFailsAfterTheCommandTimeout() throws Exception {
        try (TestRedis redis = TestRedis.start();
                RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT)) {
            RedisSingleUse claims = new RedisSingleUse(connection, "portcullis:handoff:");
            assertThat(answer(claims.claim("before", inAMinute()))).isTrue();

            redis.pause();
            StoreUnavailable frozen = unavailable(claims.claim("frozen", inAMinute()));
            assertThat(frozen.getMessage()).contains("timed out");

            redis.resume();
            eventually("answers again once Redis runs again", HEALED, answersAtAll(() -> claims.claim("thawed", inAMinute())));
        }
    }

    @Test
    void aStoreMadeWhileRedisIsUnreachableFailsClosedThenConnectsOnceRedisIsThere() throws Exception {
        try (TestRedis redis = TestRedis.notStarted();
                RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT)) {
            RedisSingleUse claims = new RedisSingleUse(connection, "portcullis:handoff:");
            unavailable(claims.claim("early", inAMinute()));
            unavailable(claims.claim("early", inAMinute()));

            redis.startAgain();
            eventually("connects on a later command", HEALED, answersAtAll(() -> claims.claim("late", inAMinute())));
            assertThat(answer(claims.claim("late", inAMinute()))).isFalse();
        }
    }

    @Test
    void aPasswordProtectedRedisWorksWithItsPasswordAndFailsClosedWithAWrongOneWithoutSayingIt() throws Exception {
        try (TestRedis redis = TestRedis.startWithPassword(PASSWORD)) {
            try (RedisStoreConnection right = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT)) {
                RedisSingleUse claims = new RedisSingleUse(right, "portcullis:handoff:");
                assertThat(answer(claims.claim("id", inAMinute()))).isTrue();
                assertThat(answer(claims.claim("id", inAMinute()))).isFalse();
            }
            String wrongPassword = "wrong-" + PASSWORD;
            try (RedisStoreConnection wrong = new RedisStoreConnection(redis.uriWithPassword(wrongPassword), COMMAND_TIMEOUT)) {
                StoreUnavailable refused = unavailable(new RedisSingleUse(wrong, "portcullis:handoff:").claim("id2", inAMinute()));
                assertThat(refused.getMessage()).as("says why").contains("WRONGPASS");
                assertThat(describedFully(refused)).doesNotContain(wrongPassword).doesNotContain(PASSWORD)
                        .doesNotContain("id2");
                unavailable(new RedisOneTimeCodes<>(wrong, "portcullis:code:", new PlainCodec()).issue("x", inAMinute()));
            }
            try (RedisStoreConnection none = new RedisStoreConnection(redis.uriWithoutPassword(), COMMAND_TIMEOUT)) {
                assertThat(unavailable(new RedisSingleUse(none, "portcullis:handoff:").claim("id3", inAMinute())).getMessage())
                        .contains("NOAUTH");
            }
        }
    }

    @Test
    void aFullRedisFailsClosedRatherThanAnsweringAClaim() throws Exception {
        // maxmemory of one byte with Redis's default noeviction policy: every write is refused with OOM.
        try (TestRedis redis = TestRedis.start("--maxmemory", "1", "--maxmemory-policy", "noeviction");
                RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT)) {
            StoreUnavailable full = unavailable(new RedisSingleUse(connection, "portcullis:handoff:").claim("id", inAMinute()));
            assertThat(full.getMessage()).contains("OOM");
            unavailable(new RedisOneTimeCodes<>(connection, "portcullis:code:", new PlainCodec()).issue("x", inAMinute()));
        }
    }

    private static Instant inAMinute() {
        return Instant.now().plusSeconds(60);
    }
}
