package dev.portcullis.proxy.scaleout;

import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.ALICE_PASSWORD;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.alice;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.claims;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.postCode;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.postPassword;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.signInPage;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.totp;
import static dev.portcullis.proxy.signin.BuiltinSignInFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.builtin.Totp;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.proxy.testing.ReplicaPair;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in provider on two replicas behind a real HAProxy doing round robin, sharing one real Redis and mounting
 * one users file: its failed-attempt throttle, its used TOTP codes and its password-then-code step hold across
 * replicas as they do on a single proxy.
 */
class BuiltinProviderReplicasTest {
    private static final String TOTP_SECRET = Totp.newSecret(NonBlockingRandom.get());
    private static final String BOB = "bob@example.com";
    private static final String BOB_PASSWORD = "bob's long passphrase";

    @TempDir
    Path dir;

    private ReplicaPair pair;
    private String authenticate;

    @BeforeEach
    void start() throws Exception {
        Path users = dir.resolve("users.yaml");
        UsersFile.empty().with(alice())
                .with(user(BOB, "Bob", List.of("family"), BOB_PASSWORD, Optional.of(TOTP_SECRET)))
                .write(users);
        pair = ReplicaPair.startBuiltin(TestRedis.start(), users, ReplicaPair.PLAIN_REDIS);
        authenticate = pair.url("authenticate", "");
    }

    @AfterEach
    void stop() {
        pair.close();
    }

    @Test
    void aSignInThroughRoundRobinCompletesAndTheUpstreamGetsTheAssertion() throws Exception {
        SignInClient browser = pair.browser();
        List<Answer> hops = new ArrayList<>(browser.follow(pair.url("app", "/private?x=1")));
        Answer page = hops.get(hops.size() - 1);
        assertThat(URI.create(page.url()).getPath()).isEqualTo("/.pomerium/builtin/sign_in");
        Answer posted = postPassword(browser, authenticate, page, ALICE, ALICE_PASSWORD);
        assertThat(posted.status()).as(posted.body()).isEqualTo(302);
        hops.add(posted);
        hops.addAll(browser.follow(URI.create(posted.url()).resolve(posted.location()).toString()));

        Answer reached = hops.get(hops.size() - 1);
        assertThat(reached.status()).isEqualTo(200);
        assertThat(reached.url()).isEqualTo(pair.url("app", "/private?x=1"));
        assertThat(ReplicaPair.servedBy(hops)).as("round robin spread the steps").contains("r1", "r2");
        assertThat(claims(pair.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).get("email").asText())
                .isEqualTo(ALICE);
        for (String replica : List.of("r1", "r2")) {
            assertThat(browser.get(pair.url("app", "/again"), "X-Replica", replica).status())
                    .as("the session is served by %s", replica).isEqualTo(200);
        }
    }

    @Test
    void failuresOnBothReplicasCountTogetherAndLockTheAccountOnBoth() throws Exception {
        SignInClient guesser = pair.browser();
        Answer page = signInPage(guesser, pair.url("app", "/"));

        // A single proxy answers the first THRESHOLD failures as wrong, then locks for FIRST_DELAY. Alternating
        // replicas, each sees only half of them: only a shared count locks.
        for (int i = 1; i <= MemoryLoginThrottle.THRESHOLD; i++) {
            String replica = i % 2 == 1 ? "r1" : "r2";
            Answer wrong = postPassword(guesser, authenticate, page, ALICE, "guess " + i, "X-Replica", replica);
            assertThat(wrong.status()).as("failure %d on %s", i, replica).isEqualTo(200);
            assertThat(wrong.body()).contains("The email address or password is not right.");
        }

        Answer locked = postPassword(guesser, authenticate, page, ALICE, "guess 6", "X-Replica", "r2");
        assertThat(locked.status()).as("after %d failures on r1 and r2, r2 says %s", MemoryLoginThrottle.THRESHOLD,
                locked.body()).isEqualTo(429);
        assertThat(locked.header("retry-after")).contains(Long.toString(MemoryLoginThrottle.FIRST_DELAY.toSeconds()));
        assertThat(locked.body()).contains("Too many attempts");

        // The account is locked on the other replica too, even for its owner with the right password.
        SignInClient owner = pair.browser();
        Answer ownerPage = signInPage(owner, pair.url("app", "/"), "X-Replica", "r1");
        Answer refused = postPassword(owner, authenticate, ownerPage, ALICE, ALICE_PASSWORD, "X-Replica", "r1");
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.header("location")).isEmpty();
    }

    @Test
    void aTotpCodeAcceptedOnOneReplicaIsRefusedWhenReplayedOnTheOther() throws Exception {
        SignInClient bob = pair.browser();
        Answer codePage = postPassword(bob, authenticate, signInPage(bob, pair.url("any", "/")), BOB, BOB_PASSWORD,
                "X-Replica", "r1");
        assertThat(codePage.body()).contains("action=\"/.pomerium/builtin/totp\"");
        String code = totp(TOTP_SECRET, Instant.now());
        Answer accepted = postCode(bob, authenticate, codePage, code, "X-Replica", "r1");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(302);

        // Someone who overheard the password and the code tries them again, on the other replica.
        SignInClient other = pair.browser();
        Answer otherCodePage = postPassword(other, authenticate, signInPage(other, pair.url("any", "/"), "X-Replica",
                "r2"), BOB, BOB_PASSWORD, "X-Replica", "r2");
        assertThat(otherCodePage.body()).contains("action=\"/.pomerium/builtin/totp\"");
        Answer replayed = postCode(other, authenticate, otherCodePage, code, "X-Replica", "r2");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("location")).isEmpty();
        assertThat(replayed.body()).contains("The code is not right, or it was used already.");
        assertThat(other.cookies("any.test")).doesNotContainKey("_pomerium");
    }

    @Test
    void thePasswordAndTheCodeMayLandOnDifferentReplicas() throws Exception {
        SignInClient bob = pair.browser();
        Answer page = signInPage(bob, pair.url("any", "/hello"));
        Answer codePage = postPassword(bob, authenticate, page, BOB, BOB_PASSWORD, "X-Replica", "r1");
        assertThat(codePage.header("x-served-by")).contains("r1");
        assertThat(codePage.body()).contains("action=\"/.pomerium/builtin/totp\"");

        Answer posted = postCode(bob, authenticate, codePage, totp(TOTP_SECRET, Instant.now()), "X-Replica", "r2");
        assertThat(posted.header("x-served-by")).contains("r2");
        assertThat(posted.status()).as(posted.body()).isEqualTo(302);
        Answer reached = bob.open(URI.create(posted.url()).resolve(posted.location()).toString());
        assertThat(reached.status()).isEqualTo(200);
        assertThat(reached.url()).isEqualTo(pair.url("any", "/hello"));
        assertThat(claims(pair.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).get("email").asText())
                .isEqualTo(BOB);
    }
}
