package dev.portcullis.proxy.scaleout;

import static dev.portcullis.proxy.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.proxy.testing.ReplicaPair;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas behind a real HAProxy doing round robin, sharing one real Redis: what one replica learns (a sign-out,
 * a redeemed hand-off) holds on the other, and Redis's faults are answered as docs/scale-out.md says.
 */
class ReplicasOnRedisTest {
    private static final Duration PROPAGATION = Duration.ofSeconds(1);

    private ReplicaPair pair;

    @BeforeEach
    void start() throws Exception {
        pair = ReplicaPair.start(TestRedis.start(), ReplicaPair.PLAIN_REDIS);
    }

    @AfterEach
    void stop() {
        pair.close();
    }

    private Answer signIn(SignInClient browser) throws Exception {
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = browser.follow(pair.url("app", "/"));
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).as("signed in through %s", ReplicaPair.servedBy(hops)).isEqualTo(200);
        return last;
    }

    @Test
    void aSignInWhoseStepsLandOnBothReplicasWorksAndTheUpstreamGetsTheAssertion() throws Exception {
        SignInClient browser = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = browser.follow(pair.url("app", "/"));
        assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
        assertThat(ReplicaPair.servedBy(hops)).as("round robin spread the steps").contains("r1", "r2");
        assertThat(pair.upstream.lastRequest().header("x-pomerium-jwt-assertion")).isNotBlank();

        for (String replica : List.of("r1", "r2", "r1", "r2")) {
            assertThat(browser.get(pair.url("app", "/again"), "X-Replica", replica).status())
                    .as("the session is served by %s", replica).isEqualTo(200);
        }
    }

    @Test
    void aSignOutOnOneReplicaIsRefusedByTheOtherWithinASecond() throws Exception {
        SignInClient browser = pair.browser();
        signIn(browser);
        String cookie = browser.cookies("app.test").get("_pomerium");
        assertThat(browser.get(pair.url("app", "/"), "X-Replica", "r2").status()).isEqualTo(200);

        Answer signedOut = lastOf(browser.follow(pair.url("app", "/.pomerium/sign_out"), "X-Replica", "r1"));
        assertThat(signedOut.status()).as(signedOut.body()).isBetween(200, 299);

        // A copy of the cookie (a second browser, a stolen cookie) must stop working on the other replica too.
        SignInClient copy = pair.browser();
        copy.cookies("app.test").put("_pomerium", cookie);
        Answer refused = within(PROPAGATION, () -> copy.get(pair.url("app", "/after"), "X-Replica", "r2"),
                answer -> answer.status() == 302);
        assertThat(refused.location()).contains("authenticate.test");
        assertThat(copy.get(pair.url("app", "/after"), "X-Replica", "r1").status()).isEqualTo(302);
        assertThat(pair.upstream.requests()).noneMatch(r -> r.rawPath().equals("/after"));
    }

    @Test
    void aHandOffRedeemedOnOneReplicaIsRefusedOnTheOther() throws Exception {
        SignInClient browser = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        String next = pair.url("app", "/");
        String handOff = null;
        for (int hop = 0; hop < 8 && handOff == null; hop++) {
            Answer answer = browser.get(next);
            assertThat(answer.status()).as(next).isEqualTo(302);
            next = URI.create(next).resolve(answer.location()).toString();
            if (next.contains("/.pomerium/callback/")) {
                handOff = next;
            }
        }
        assertThat(handOff).as("the authenticate host hands off to the route host").isNotNull();
        Answer redeemed = browser.get(handOff, "X-Replica", "r1");
        assertThat(redeemed.headers("set-cookie")).anyMatch(c -> c.startsWith("_pomerium="));

        SignInClient attacker = pair.browser();
        Answer replayed = attacker.get(handOff, "X-Replica", "r2");
        assertThat(replayed.headers("set-cookie")).as("no session from a replayed hand-off")
                .noneMatch(c -> c.startsWith("_pomerium=") && !c.startsWith("_pomerium=;"));
        assertThat(attacker.open(pair.url("app", "/stolen"), "X-Replica", "r2").status()).isNotEqualTo(200);
        assertThat(pair.upstream.requests()).noneMatch(r -> r.rawPath().equals("/stolen"));
    }

    @Test
    void withRedisStoppedSignedInPeopleKeepWorkingAndWhatNeedsRedisAnswers503() throws Exception {
        SignInClient alice = pair.browser();
        signIn(alice);
        pair.redis.stop();

        for (String replica : List.of("r1", "r2")) {
            assertThat(alice.get(pair.url("app", "/while-down"), "X-Replica", replica).status())
                    .as("signed in on %s while Redis is down", replica).isEqualTo(200);
            assertThat(pair.browser().get(pair.url("public", "/"), "X-Replica", replica).status()).isEqualTo(200);
        }

        SignInClient bob = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = bob.follow(pair.url("app", "/"));
        Answer refused = lastOf(hops);
        assertThat(refused.status()).as("%s", hops.stream().map(h -> h.status() + " " + h.url()).toList()).isEqualTo(503);
        assertThat(refused.body()).contains("Temporarily unavailable").contains("session store")
                .containsPattern("Request ID: <code>[^<]+</code>").doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(bob.cookies("app.test")).doesNotContainKey("_pomerium");

        Answer signOut = lastOf(alice.follow(pair.url("app", "/.pomerium/sign_out"), "X-Replica", "r2"));
        assertThat(signOut.status()).as("a sign-out that cannot be shared is not reported as done").isEqualTo(503);
        assertThat(alice.cookies("app.test")).containsKey("_pomerium");
    }

    @Test
    void redisRestartedEmptyMakesEveryoneSignInAgainOnceAndThenWorksWithoutARestart() throws Exception {
        SignInClient alice = pair.browser();
        signIn(alice);
        pair.clock.advance(Duration.ofSeconds(2)); // the session is from an earlier second than the loss
        pair.redis.stop();
        pair.redis.startAgain(); // nothing persisted: Redis lost every key

        for (String replica : List.of("r1", "r2")) {
            Answer answer = within(Duration.ofSeconds(5), () -> alice.get(pair.url("app", "/after-loss"), "X-Replica",
                    replica), a -> a.status() == 302);
            assertThat(answer.location()).as("%s sends the earlier session to sign in again", replica)
                    .contains("authenticate.test");
        }
        Answer again = within(Duration.ofSeconds(5), () -> {
            pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
            return lastOf(pair.browser().follow(pair.url("app", "/signed-in-again")));
        }, a -> a.status() == 200);
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void aFlushAllNeverBringsARevokedSessionBack() throws Exception {
        SignInClient alice = pair.browser();
        signIn(alice);
        String cookie = alice.cookies("app.test").get("_pomerium");
        assertThat(lastOf(alice.follow(pair.url("app", "/.pomerium/sign_out"), "X-Replica", "r1")).status())
                .isBetween(200, 299);
        pair.clock.advance(Duration.ofSeconds(2)); // the session is from an earlier second than the loss
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(pair.redis.uri());
        try (var connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
        pair.restart(1); // a replica that starts after the loss must not trust the empty Redis

        SignInClient copy = pair.browser();
        copy.cookies("app.test").put("_pomerium", cookie);
        for (int i = 0; i < 6; i++) {
            String replica = i % 2 == 0 ? "r1" : "r2";
            assertThat(copy.get(pair.url("app", "/revoked"), "X-Replica", replica).status())
                    .as("the revoked session on %s after FLUSHALL", replica).isEqualTo(302);
        }
        assertThat(pair.upstream.requests()).noneMatch(r -> r.rawPath().equals("/revoked"));
    }

    @Test
    void aDueSessionIsRenewedByOneProviderCallAcrossBothReplicasAndBothServeTheRenewal() throws Exception {
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 600); // tokens live 10 minutes
        SignInClient alice = pair.browser();
        assertThat(lastOf(alice.follow(pair.url("app", "/"))).status()).isEqualTo(200);
        String cookie = alice.cookies("app.test").get("_pomerium");
        long before = pair.idp.refreshCalls();
        pair.clock.advance(Duration.ofSeconds(550)); // due: less than a minute of the tokens left

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<String> renewedCookies = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<Callable<Answer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String replica = i % 2 == 0 ? "r1" : "r2";
                calls.add(() -> {
                    SignInClient copy = pair.browser();
                    copy.cookies("app.test").put("_pomerium", cookie);
                    Answer answer = copy.get(pair.url("app", "/due"), "X-Replica", replica);
                    renewedCookies.add(copy.cookies("app.test").get("_pomerium"));
                    return answer;
                });
            }
            for (java.util.concurrent.Future<Answer> result : pool.invokeAll(calls)) {
                assertThat(result.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(pair.idp.refreshCalls() - before).as("one provider call for both replicas").isEqualTo(1);

        // Whichever replica renewed, the other hands the renewed session to a request still carrying the old cookie.
        for (String replica : List.of("r1", "r2")) {
            SignInClient late = pair.browser();
            late.cookies("app.test").put("_pomerium", cookie);
            Answer answer = late.get(pair.url("app", "/late"), "X-Replica", replica);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headers("set-cookie")).as("%s sends the renewed session", replica)
                    .anySatisfy(c -> assertThat(c).startsWith("_pomerium=").doesNotContain(cookie));
        }
        assertThat(pair.idp.refreshCalls() - before).isEqualTo(1);
    }

    @Test
    void aProviderAnswerReplayedOnTheOtherReplicaIsRefusedBeforeTheProviderIsAsked() throws Exception {
        SignInClient browser = pair.browser();
        pair.idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        String next = pair.url("app", "/");
        String callback = null;
        for (int hop = 0; hop < 8 && callback == null; hop++) {
            Answer answer = browser.get(next);
            next = URI.create(next).resolve(answer.location()).toString();
            if (next.contains("/oauth2/callback")) {
                callback = next;
            }
        }
        assertThat(callback).isNotNull();
        java.util.Map<String, String> attemptCookies = new java.util.HashMap<>(browser.cookies("authenticate.test"));
        assertThat(browser.get(callback, "X-Replica", "r1").status()).isEqualTo(302);
        int tokenCalls = pair.idp.requests("/token").size();

        SignInClient replay = pair.browser();
        replay.cookies("authenticate.test").putAll(attemptCookies);
        Answer refused = replay.get(callback, "X-Replica", "r2");
        assertThat(refused.status()).isBetween(400, 499);
        assertThat(refused.headers("set-cookie")).noneMatch(c -> c.startsWith("_pomerium") && !c.contains("Max-Age=0"));
        assertThat(pair.idp.requests("/token")).as("the provider is not asked again").hasSize(tokenCalls);
    }

    @Test
    void aProgrammaticLoginTicketOpensOneSignInAcrossReplicas() throws Exception {
        SignInClient script = pair.browser();
        Answer login = script.get(pair.url("app", "/.pomerium/api/v1/login?pomerium_redirect_uri="
                + java.net.URLEncoder.encode("http://localhost:9/cb", java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(login.status()).isEqualTo(200);
        String signInUrl = login.body().strip();
        assertThat(pair.browser().get(signInUrl, "X-Replica", "r1").status()).as("first use").isEqualTo(302);
        Answer again = pair.browser().get(signInUrl, "X-Replica", "r2");
        assertThat(again.status()).as("second use, on the other replica").isEqualTo(400);
        assertThat(again.body()).contains("was used already");
    }

    private static Answer lastOf(List<Answer> hops) {
        return hops.get(hops.size() - 1);
    }
}
