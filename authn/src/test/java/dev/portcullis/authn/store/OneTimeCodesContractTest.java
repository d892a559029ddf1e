package dev.portcullis.authn.store;

import static dev.portcullis.authn.store.Answers.answer;
import static dev.portcullis.authn.store.Answers.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The contract of shared {@link OneTimeCodes}, run against a real server by each store's subclass: replicas with
 * connections of their own issue and take codes in one store, and
 * <ul>
 *   <li>a code is 256 random bits (base64url, 43 characters), taken once on whichever replica, then gone;</li>
 *   <li>when replicas race to take one code, exactly one gets it;</li>
 *   <li>a code whose expiry has passed is not accepted;</li>
 *   <li>another deployment on the same server does not know a code, nor use it up;</li>
 *   <li>a value the codec cannot read fails closed ({@link StoreUnavailable}, without the value) and uses the code
 *       up.</li>
 * </ul>
 * How codes are kept (keys, rows) and when they are deleted is each subclass's own.
 */
public abstract class OneTimeCodesContractTest {

    /** The store under test on replica A (a connection of its own), its values written and read by {@code codec}. */
    protected abstract <V> OneTimeCodes<V> onReplicaA(OneTimeCodes.Codec<V> codec);

    /** The same store on replica B, with another connection. */
    protected abstract <V> OneTimeCodes<V> onReplicaB(OneTimeCodes.Codec<V> codec);

    /** The same store of another deployment on the same server (another key or table prefix). */
    protected abstract <V> OneTimeCodes<V> ofAnotherDeployment(OneTimeCodes.Codec<V> codec);

    @Test
    void aCodeIssuedOnOneReplicaIsTakenOnceOnAnyReplica() throws Exception {
        OneTimeCodes<Account> a = onReplicaA(ACCOUNTS);
        OneTimeCodes<Account> b = onReplicaB(ACCOUNTS);

        String code = answer(a.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(code).as("256 bits, base64url without padding").matches("[A-Za-z0-9_-]{43}");
        assertThat(answer(b.take(code))).as("taken on the other replica").contains(new Account("ada@example.com"));
        assertThat(answer(a.take(code))).as("then gone on the first").isEmpty();
        assertThat(answer(b.take(code))).as("and on the second").isEmpty();
        assertThat(answer(a.take("not-a-code"))).isEmpty();
    }

    @Test
    void whenBothReplicasRaceForOneCodeOnlyOneGetsIt() throws Exception {
        OneTimeCodes<Account> a = onReplicaA(ACCOUNTS);
        OneTimeCodes<Account> b = onReplicaB(ACCOUNTS);
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
    void aCodeWhoseExpiryHasPassedIsNotAccepted() throws Exception {
        OneTimeCodes<Account> a = onReplicaA(ACCOUNTS);
        OneTimeCodes<Account> b = onReplicaB(ACCOUNTS);

        String past = answer(a.issue(new Account("late@example.com"), Instant.now().minusSeconds(1)));
        assertThat(answer(b.take(past))).as("a code whose expiry has passed").isEmpty();
        assertThat(answer(a.take(past))).as("on either replica").isEmpty();
    }

    @Test
    void anotherDeploymentOnTheSameServerDoesNotKnowACode() throws Exception {
        OneTimeCodes<Account> first = onReplicaA(ACCOUNTS);
        OneTimeCodes<Account> second = ofAnotherDeployment(ACCOUNTS);

        String code = answer(first.issue(new Account("ada@example.com"), Instant.now().plusSeconds(60)));
        assertThat(answer(second.take(code))).as("the other deployment does not know it").isEmpty();
        assertThat(answer(first.take(code))).as("and did not use it up").contains(new Account("ada@example.com"));
    }

    @Test
    void aValueTheCodecCannotReadFailsClosedAndUsesTheCodeUp() throws Exception {
        OneTimeCodes<Account> writer = onReplicaA(ACCOUNTS);
        OneTimeCodes<Account> otherVersion = onReplicaB(new OneTimeCodes.Codec<>() {
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

    /** What the codes stand for in these tests. */
    public record Account(String email) {}

    /** Writes an account as its email. */
    protected static final OneTimeCodes.Codec<Account> ACCOUNTS = new OneTimeCodes.Codec<>() {
        @Override
        public String encode(Account value) {
            return value.email();
        }

        @Override
        public Account decode(String encoded) {
            return new Account(encoded);
        }
    };
}
