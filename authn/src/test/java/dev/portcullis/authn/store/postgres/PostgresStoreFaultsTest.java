package dev.portcullis.authn.store.postgres;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.answersAtAll;
import static dev.portcullis.authn.store.Answers.describedFully;
import static dev.portcullis.authn.store.Answers.eventually;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.PlainCodec;
import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL stores answer when PostgreSQL cannot: stopped, frozen, not there yet, asked with a wrong
 * password, its tables dropped. Every such answer is a {@link StoreUnavailable} within twice the command timeout
 * (never {@code true}, {@code false} or empty), and the same store works again once PostgreSQL does.
 */
class PostgresStoreFaultsTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1000);
    /** What the connection promises: an answer within twice the command timeout. */
    private static final Duration PROMPT = COMMAND_TIMEOUT.multipliedBy(2);
    /** Workers reconnect on their next command; this leaves room for a slow machine. */
    private static final Duration HEALED = Duration.ofSeconds(15);
    private static TestPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void whilePostgresIsStoppedEveryAnswerIsStoreUnavailablePromptlyAndTheSameStoresWorkOnceItIsBack() throws Exception {
        List<StoreUnavailable> observed = new CopyOnWriteArrayList<>();
        try (PostgresStoreConnection connection = connection(TestPostgres.PASSWORD, "stopped_", failuresTo(observed))) {
            PostgresSingleUse claims = new PostgresSingleUse(connection, "handoff");
            PostgresOneTimeCodes<String> codes = new PostgresOneTimeCodes<>(connection, "code", new PlainCodec());
            assertThat(answer(claims.claim("before", inAMinute()))).isTrue();
            String code = answer(codes.issue("ada@example.com", inAMinute()));

            postgres.stop();
            try {
                long start = System.nanoTime();
                assertThat(unavailable(claims.claim("during", inAMinute())).getMessage()).doesNotContain("during");
                unavailable(codes.issue("ada@example.com", inAMinute()));
                assertThat(unavailable(codes.take(code)).getMessage()).doesNotContain(code);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("three answers, each prompt")
                        .isLessThan(PROMPT.multipliedBy(3));
                assertThat(observed).as("the observer is told of each failure").hasSizeGreaterThanOrEqualTo(3);
            } finally {
                postgres.startAgain();
            }
            eventually("the same store claims again after PostgreSQL restarted", HEALED,
                    answersAtAll(() -> claims.claim("after", inAMinute())));
            assertThat(answer(claims.claim("after", inAMinute()))).as("and remembers").isFalse();
            assertThat(answer(claims.claim("before", inAMinute()))).as("and what it claimed before").isFalse();
            String next = answer(codes.issue("ada@example.com", inAMinute()));
            assertThat(answer(codes.take(next))).contains("ada@example.com");
            assertThat(answer(codes.take(code))).as("the code issued before, kept by PostgreSQL")
                    .contains("ada@example.com");
        }
    }

    @Test
    void aPostgresThatAcceptsButNeverAnswersFailsWithinTwiceTheCommandTimeout() throws Exception {
        try (PostgresStoreConnection connection = connection(TestPostgres.PASSWORD, "frozen_", StoreObserver.NONE)) {
            PostgresSingleUse claims = new PostgresSingleUse(connection, "handoff");
            assertThat(answer(claims.claim("before", inAMinute()))).isTrue();

            postgres.pause();
            try {
                long start = System.nanoTime();
                unavailable(claims.claim("frozen", inAMinute()));
                StoreUnavailable again = unavailable(claims.claim("frozen-too", inAMinute()));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).as("two answers, each within twice the command timeout")
                        .isLessThan(PROMPT.multipliedBy(2).plusMillis(500));
                assertThat(again.getMessage()).containsAnyOf("timed out", "I/O");
            } finally {
                postgres.resume();
            }
            eventually("answers again once PostgreSQL runs again", HEALED,
                    answersAtAll(() -> claims.claim("thawed", inAMinute())));
        }
    }

    @Test
    void aStoreMadeWhilePostgresIsUnreachableFailsClosedThenConnectsOnceItIsThere() throws Exception {
        try (TestPostgres later = TestPostgres.notStarted();
                PostgresStoreConnection connection = new PostgresStoreConnection(later.jdbcUrl(), TestPostgres.USER,
                        TestPostgres.PASSWORD, COMMAND_TIMEOUT)) {
            PostgresSingleUse claims = new PostgresSingleUse(connection, "handoff");
            unavailable(claims.claim("early", inAMinute()));
            unavailable(claims.claim("early", inAMinute()));

            later.startAgain();
            eventually("connects on a later command", HEALED, answersAtAll(() -> claims.claim("late", inAMinute())));
            assertThat(answer(claims.claim("late", inAMinute()))).isFalse();
        }
    }

    @Test
    void aWrongPasswordFailsClosedWithoutSayingItOrTheRightOne() throws Exception {
        String wrongPassword = "wrong-" + TestPostgres.PASSWORD;
        try (PostgresStoreConnection wrong = connection(wrongPassword, "wrong_", StoreObserver.NONE)) {
            StoreUnavailable refused = unavailable(new PostgresSingleUse(wrong, "handoff").claim("id2", inAMinute()));
            assertThat(refused.getMessage()).as("says why").contains("password authentication failed");
            assertThat(describedFully(refused)).doesNotContain(wrongPassword).doesNotContain(TestPostgres.PASSWORD)
                    .doesNotContain("id2");
            StoreUnavailable noCode = unavailable(new PostgresOneTimeCodes<>(wrong, "code", new PlainCodec()).issue("x", inAMinute()));
            assertThat(describedFully(noCode)).doesNotContain(wrongPassword);
        }
        String inUrl = "in-the-url-" + TestPostgres.PASSWORD;
        try (PostgresStoreConnection wrong = new PostgresStoreConnection(postgres.jdbcUrl() + "?password=" + inUrl,
                TestPostgres.USER, "", new Properties(), "wrong_", COMMAND_TIMEOUT, StoreObserver.NONE)) {
            StoreUnavailable refused = unavailable(new PostgresSingleUse(wrong, "handoff").claim("id3", inAMinute()));
            assertThat(describedFully(refused)).as("a password in the URL is not said either").doesNotContain(inUrl)
                    .doesNotContain("password=");
        }
    }

    @Test
    void droppedTablesAreMadeAgainAndTheStoreGoesOn() throws Exception {
        try (PostgresStoreConnection connection = connection(TestPostgres.PASSWORD, "dropped_", StoreObserver.NONE)) {
            PostgresSingleUse claims = new PostgresSingleUse(connection, "handoff");
            assertThat(answer(claims.claim("before", inAMinute()))).isTrue();

            postgres.execute("DROP TABLE dropped_single_use");
            assertThat(answer(claims.claim("before", inAMinute()))).as("the data is lost, the store works").isTrue();
            assertThat(answer(claims.claim("before", inAMinute()))).isFalse();
        }
    }

    private static PostgresStoreConnection connection(String password, String tablePrefix, StoreObserver observer) {
        return new PostgresStoreConnection(postgres.jdbcUrl(), TestPostgres.USER, password, new Properties(),
                tablePrefix, COMMAND_TIMEOUT, observer);
    }

    private static StoreObserver failuresTo(List<StoreUnavailable> observed) {
        return new StoreObserver() {
            @Override
            public void answered(long nanos) {}

            @Override
            public void failed(long nanos, StoreUnavailable failure) {
                observed.add(failure);
            }
        };
    }

    private static Instant inAMinute() {
        return Instant.now().plusSeconds(60);
    }
}
