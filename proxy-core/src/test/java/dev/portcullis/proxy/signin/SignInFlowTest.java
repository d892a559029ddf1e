package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.http.HeaderSpelling;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole sign-in through the proxy, against a real OpenID Connect provider, with a client that
 * keeps cookies per host like a browser: authenticate and routes on separate hosts.
 */
class SignInFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignInFixture fixture;
    private TestIdentityProvider idp;
    private TestUpstream upstream;
    private SignInClient browser;
    private int port;

    @BeforeEach
    void start() throws Exception {
        fixture = SignInFixture.start("");
        idp = fixture.idp;
        upstream = fixture.upstream;
        port = fixture.port;
        browser = new SignInClient(port);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String app(String path) {
        return "http://app.test:" + port + path;
    }

    private Answer signIn(String email, String url) throws Exception {
        idp.nextUser(email.substring(0, email.indexOf('@')), email, List.of("family", "admins"), 3600);
        return browser.open(url);
    }

    @Test
    void theWellKnownPrefixIsTheProxysAndItsDocumentsAreReadableFromAnyPage() throws Exception {
        for (String path : List.of("/.well-known/pomerium", "/.well-known/pomerium/", "/.well-known/pomerium/jwks.json")) {
            Answer answer = browser.get(app(path));
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.header("access-control-allow-origin")).as(path).hasValue("*");
            assertThat(answer.header("content-type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        }
        int before = upstream.requests().size();
        for (String path : List.of("/.well-known/pomerium/other", "/.well-known/pomerium/jwks.json/x",
                "/.well-known/pomerium//x")) {
            Answer answer = browser.get(app(path));
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.header("x-request-id")).as(path).hasValueSatisfying(id -> assertThat(id).isNotBlank());
        }
        assertThat(upstream.requests()).as("nothing under /.well-known/pomerium/ reaches the upstream").hasSize(before);
    }

    @Test
    void theKeySetHasPomeriumsEtagAndACacheThatHasItGets304() throws Exception {
        Answer jwks = browser.get(app("/.well-known/pomerium/jwks.json"));
        String etag = jwks.header("etag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{1,16}\"");

        for (String sent : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            Answer cached = browser.get(app("/.well-known/pomerium/jwks.json"), "If-None-Match", sent);
            assertThat(cached.status()).as(sent).isEqualTo(304);
            assertThat(cached.body()).isEmpty();
            assertThat(cached.header("etag")).hasValue(etag);
            assertThat(cached.header("access-control-allow-origin")).hasValue("*");
        }
        Answer changed = browser.get(app("/.well-known/pomerium/jwks.json"), "If-None-Match", "\"0\"");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(jwks.body());
    }

    @Test
    void theIssuerIsHttpsBehindAFrontProxyThatEndsTlsAsPomeriumWritesIt() throws Exception {
        // the fixture serves plain HTTP (insecure_server), as behind DSM's nginx; Pomerium's handler always says https
        JsonNode document = JSON.readTree(browser.get(app("/.well-known/pomerium")).body());
        assertThat(document.get("issuer").asText()).isEqualTo("https://app.test:" + port + "/");
        assertThat(document.get("jwks_uri").asText()).isEqualTo("https://app.test:" + port + "/.well-known/pomerium/jwks.json");
    }

    @Test
    void aStrangerSignsInAndTheUpstreamReceivesAVerifiableAssertion() throws Exception {
        idp.nextUser("alice", "alice@example.com", List.of("family", "admins"), 3600);
        List<Answer> hops = browser.follow(app("/private/page?x=1"), "X-Pomerium-Claim-Email", "mallory@example.com");

        assertThat(hops.get(0).status()).isEqualTo(302);
        assertThat(hops.get(0).location()).startsWith("http://authenticate.test:" + port + "/.pomerium/sign_in?");
        Answer toProvider = hops.get(1);
        assertThat(toProvider.location()).startsWith(idp.issuerUrl() + "/authorize")
                .contains("code_challenge_method=S256").contains("nonce=").contains("state=");
        assertThat(toProvider.headers("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("_pomerium_csrf="));
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.url()).isEqualTo(app("/private/page?x=1"));
        assertThat(browser.cookies("app.test")).containsKey("_pomerium");
        assertThat(browser.cookies("authenticate.test")).containsKey("_pomerium_authenticate").doesNotContainKey("_pomerium_csrf");

        TestUpstream.Recorded seen = upstream.lastRequest();
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEqualTo("alice@example.com");
        assertThat(seen.header("X-Pomerium-Claim-Groups")).isEqualTo("family,admins");
        assertThat(seen.header("Cookie")).as("the proxy's own cookies never reach the upstream").isNull();
        String jwt = seen.header("X-Pomerium-Jwt-Assertion");
        assertThat(jwt).isNotBlank();

        // An independent JOSE library, with the key set the proxy publishes on the route host.
        Answer jwks = browser.get(app("/.well-known/pomerium/jwks.json"));
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.header("cache-control")).contains("max-age=60");
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks.body()).getJsonWebKeys()))
                // the host name without the port the browser used (app.test:<port>), as Pomerium writes them
                .setExpectedIssuer("app.test")
                .setExpectedAudience("app.test")
                .setRequireExpirationTime()
                .setMaxFutureValidityInMinutes(6)
                .build();
        JwtClaims claims = consumer.processToClaims(jwt);
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getClaimValue("email")).isEqualTo("alice@example.com");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("family", "admins");
        assertThat(claims.getClaimValue("sid")).isNotNull();
    }

    @Test
    void anApiClientGets401WithTheSignInUrlNeverALoginPage() throws Exception {
        Answer answer = browser.get(app("/api/items"), "Accept", "application/json");
        assertThat(answer.status()).isEqualTo(401);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("error").asText()).isEqualTo("unauthenticated");
        assertThat(body.get("sign_in_url").asText()).startsWith("http://authenticate.test:" + port + "/.pomerium/sign_in");
        assertThat(body.get("request_id").asText()).isNotBlank();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void someoneThePolicyRefusesSeesWhoTheyAreAndWhy() throws Exception {
        Answer answer = signIn("bob@example.com", app("/"));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("bob@example.com").contains("Sign in as someone else");
        assertThat(upstream.requests()).isEmpty();
        Answer json = browser.get(app("/"), "Accept", "application/json");
        assertThat(json.status()).isEqualTo(403);
        assertThat(JSON.readTree(json.body()).get("email").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void aSecondRouteNeedsNoSecondTripToTheProvider() throws Exception {
        signIn("alice@example.com", app("/"));
        int authorizations = idp.requests("/authorize").size();
        List<Answer> hops = browser.follow("http://other.test:" + port + "/");
        assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
        assertThat(hops).noneSatisfy(h -> assertThat(h.url()).startsWith(idp.issuerUrl()));
        assertThat(idp.requests("/authorize")).hasSize(authorizations);
    }

    @Test
    void aHandoffRedeemedBeforeAReloadStaysRedeemedAfterIt() throws Exception {
        idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = browser.follow(app("/"));
        assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
        String handoff = hops.stream().map(Answer::url).filter(u -> u.contains("/.pomerium/callback/")).findFirst().orElseThrow();

        fixture.reload("log_level: info");

        SignInClient other = new SignInClient(port);
        assertThat(other.get(handoff).status()).as("replayed after a reload").isEqualTo(400);
        assertThat(other.cookies("app.test")).doesNotContainKey("_pomerium");
        assertThat(browser.get(app("/")).status()).as("the session itself survives the reload").isEqualTo(200);
    }

    @Test
    void aHandoffWorksOnceOnlyAndOnlyOnItsHost() throws Exception {
        idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        List<Answer> hops = browser.follow(app("/"));
        String handoff = hops.stream().map(Answer::url).filter(u -> u.contains("/.pomerium/callback/")).findFirst().orElseThrow();
        SignInClient other = new SignInClient(port);
        Answer replayed = other.get(handoff);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.body()).contains("Request ID").doesNotContain("Exception");
        assertThat(other.cookies("app.test")).doesNotContainKey("_pomerium");

        Answer signInAgain = browser.get("http://authenticate.test:" + port + "/.pomerium/sign_in?pomerium_redirect_uri="
                + URLEncoder.encode(app("/"), StandardCharsets.UTF_8));
        String fresh = signInAgain.location();
        String elsewhere = fresh.replace("app.test", "other.test");
        assertThat(other.get(elsewhere).status()).as("aimed at another host").isEqualTo(400);
        String tampered = fresh.substring(0, fresh.length() - 3) + (fresh.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(other.get(tampered).status()).isEqualTo(400);
    }

    @Test
    void redirectsAfterSignInGoOnlyToRoutesOfThisConfiguration() throws Exception {
        for (String target : List.of("https://evil.example/", "http://app.test.evil.example:" + port + "/", "//evil.example/",
                "javascript:alert(1)", "http://user@app.test:" + port + "/")) {
            Answer answer = browser.get("http://authenticate.test:" + port + "/.pomerium/sign_in?pomerium_redirect_uri="
                    + URLEncoder.encode(target, StandardCharsets.UTF_8));
            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.header("location")).as(target).isEmpty();
        }
    }

    @Test
    void tamperedForeignAndMissingCookiesMeanNotSignedIn() throws Exception {
        signIn("alice@example.com", app("/"));
        String good = browser.cookies("app.test").get("_pomerium");
        for (String bad : List.of(good.substring(0, good.length() - 2) + "xx", "garbage", "a.b.c.d.e", good + "." + good, "")) {
            browser.cookies("app.test").put("_pomerium", bad);
            Answer answer = browser.get(app("/"));
            assertThat(answer.status()).as(bad).isEqualTo(302);
            assertThat(answer.location()).contains("/.pomerium/sign_in");
        }
        // A cookie sealed for the authenticate host is not a route cookie.
        browser.cookies("app.test").put("_pomerium", browser.cookies("authenticate.test").get("_pomerium_authenticate"));
        assertThat(browser.get(app("/")).status()).isEqualTo(302);
    }

    @Test
    void signOutEndsTheSessionEvenForACopyOfTheCookie() throws Exception {
        signIn("alice@example.com", app("/"));
        String copy = browser.cookies("app.test").get("_pomerium");
        List<Answer> hops = browser.follow(app("/.pomerium/sign_out"));
        assertThat(browser.cookies("app.test")).doesNotContainKey("_pomerium");
        assertThat(browser.cookies("authenticate.test")).doesNotContainKey("_pomerium_authenticate");
        assertThat(hops).anySatisfy(h -> assertThat(h.url()).startsWith(idp.issuerUrl() + "/endsession")
                .contains("id_token_hint="));

        SignInClient thief = new SignInClient(port);
        thief.cookies("app.test").put("_pomerium", copy);
        Answer answer = thief.get(app("/"));
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).contains("/.pomerium/sign_in");
    }

    @Test
    void backChannelLogoutEndsTheUsersSessions() throws Exception {
        signIn("alice@example.com", app("/"));
        assertThat(browser.get(app("/")).status()).isEqualTo(200);
        String logoutToken = idp.signedToken("alice", Map.of(
                "events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()),
                "sid", "idp-session-alice"));
        Answer refused = browser.post("http://authenticate.test:" + port + "/.pomerium/backchannel_logout", "logout_token=garbage");
        assertThat(refused.status()).isEqualTo(400);
        Answer still = browser.get(app("/"));
        assertThat(still.status()).as(still.toString()).isEqualTo(200);

        Answer accepted = browser.post("http://authenticate.test:" + port + "/.pomerium/backchannel_logout",
                "logout_token=" + logoutToken);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(browser.get(app("/")).status()).isEqualTo(302);
    }

    @Test
    void spoofedPomeriumHeadersNeverReachTheUpstream() throws Exception {
        Answer answer = browser.get("http://public.test:" + port + "/", "X-Pomerium-Jwt-Assertion", "forged",
                "X-Pomerium-Claim-Email", "ceo@example.com", "X-Pomerium-Authorization", "x",
                "Authorization", "Pomerium forged");
        assertThat(answer.status()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.lastRequest();
        // Pomerium's assertion of no one, and empty claim headers: never what the client sent
        assertThat(seen.header("X-Pomerium-Jwt-Assertion")).isNotBlank().isNotEqualTo("forged");
        assertThat(seen.header("X-Pomerium-Claim-Email")).isEmpty();
        assertThat(seen.header("X-Pomerium-Authorization")).isNull();
        assertThat(seen.header("Authorization")).isNull();
    }

    @Test
    void aSignedInUsersForgedSpellingsOfClaimHeadersAreDroppedAndTheProxysValueIsTheOnlyOne() throws Exception {
        signIn("alice@example.com", app("/"));
        Answer answer = browser.get(app("/claims"), "X_Pomerium_Claim_Email", "ceo@example.com",
                "x.pomerium.claim.groups", "board", "Remote_User", "ceo");
        assertThat(answer.status()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.lastRequest();
        assertThat(seen.headers()).allSatisfy((name, values) -> {
            String spelled = HeaderSpelling.of(name);
            if (spelled.equals("x-pomerium-claim-email")) {
                assertThat(values).as(name).containsExactly("alice@example.com");
            }
            assertThat(values).as(name).doesNotContain("ceo@example.com", "board", "ceo");
        });
        assertThat(seen.headers().keySet()).filteredOn(name -> HeaderSpelling.is(name, "x-pomerium-claim-email")).hasSize(1);
    }

    @Test
    void theUserPageShowsWhoIsSignedIn() throws Exception {
        Answer stranger = browser.get(app("/.pomerium/"));
        assertThat(stranger.status()).isEqualTo(302);
        signIn("alice@example.com", app("/.pomerium/"));
        Answer page = browser.get(app("/.pomerium/"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("alice@example.com").contains("admins").contains("sign_out");
        assertThat(page.header("cache-control")).contains("no-store");
        JsonNode json = JSON.readTree(browser.get(app("/.pomerium/"), "Accept", "application/json").body());
        assertThat(json.get("email").asText()).isEqualTo("alice@example.com");
        JsonNode user = JSON.readTree(browser.get(app("/.pomerium/user")).body());
        assertThat(user.get("sub").asText()).isEqualTo("alice");
        assertThat(browser.get(app("/.pomerium/jwt")).status()).as("off unless the runtime flag is on").isEqualTo(404);
    }

    @Test
    void theAssertionEndpointWorksWhenTheRuntimeFlagIsOn() throws Exception {
        fixture.restart("runtime_flags:\n  pomerium_jwt_endpoint: true");
        signIn("alice@example.com", app("/"));
        Answer jwt = browser.get(app("/.pomerium/jwt"));
        assertThat(jwt.status()).isEqualTo(200);
        assertThat(jwt.header("content-type")).contains("application/jwt");
        assertThat(jwt.body().split("\\.")).hasSize(3);
    }

    @Test
    void theAssertionEndpointUsesTheTopLevelJwtIssuerFormatAsPomeriumsInternalRoutesDo() throws Exception {
        fixture.restart("runtime_flags:\n  pomerium_jwt_endpoint: true\njwt_issuer_format: uri");
        signIn("alice@example.com", app("/"));
        String jwt = browser.get(app("/.pomerium/jwt")).body();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(
                        new JsonWebKeySet(browser.get(app("/.well-known/pomerium/jwks.json")).body()).getJsonWebKeys()))
                .setExpectedIssuer("https://app.test/")
                .setExpectedAudience("app.test")
                .setSkipDefaultAudienceValidation()
                .setEvaluationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(fixture.clock.instant().toEpochMilli()))
                .build().processToClaims(jwt);
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).as("the route's follows the top level")
                .isNotBlank();
        assertThat(new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators().build()
                .processToClaims(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).getIssuer())
                .isEqualTo("https://app.test/");
    }

    @Test
    void programmaticLoginHandsATokenToTheScript() throws Exception {
        Answer refused = browser.get(app("/.pomerium/api/v1/login?pomerium_redirect_uri="
                + URLEncoder.encode("https://evil.example/cb", StandardCharsets.UTF_8)));
        assertThat(refused.status()).isEqualTo(400);

        Answer login = browser.get(app("/.pomerium/api/v1/login?pomerium_redirect_uri="
                + URLEncoder.encode("http://localhost:9/cb", StandardCharsets.UTF_8)));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).startsWith("http://authenticate.test:" + port + "/.pomerium/sign_in?");
        idp.nextUser("alice", "alice@example.com", List.of(), 3600);
        String next = login.body();
        String last = null;
        for (int hop = 0; hop < 10 && last == null; hop++) {
            Answer answer = browser.get(next);
            assertThat(answer.status()).as(next).isEqualTo(302);
            next = URI.create(next).resolve(answer.location()).toString();
            if (next.startsWith("http://localhost:9/")) {
                last = next;
            }
        }
        assertThat(last).startsWith("http://localhost:9/cb?pomerium_jwt=");
        String token = URLDecoder.decode(last.substring(last.indexOf('=') + 1), StandardCharsets.UTF_8);

        SignInClient script = new SignInClient(port).accept("application/json");
        Answer answer = script.get(app("/api"), "Authorization", "Bearer Pomerium-" + token);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(upstream.lastRequest().header("Authorization")).isNull();
        assertThat(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
    }

    @Test
    void fiftyParallelRequestsWithADueSessionMakeOneRefreshCall() throws Exception {
        // Tokens live 10 minutes, so the session is due for renewal a minute before they expire (at
        // most a minute early); the renewed one is not due for another 9 minutes of the proxy's clock.
        idp.nextUser("alice", "alice@example.com", List.of(), 600);
        browser.open(app("/"));
        String cookie = browser.cookies("app.test").get("_pomerium");
        long before = idp.refreshCalls();
        fixture.clock.advance(Duration.ofSeconds(530));
        assertThat(browser.get(app("/")).status()).isEqualTo(200);
        assertThat(idp.refreshCalls() - before).as("not due yet: no provider call").isZero();
        fixture.clock.advance(Duration.ofSeconds(20));
        List<String> renewedCookies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(() -> {
                    SignInClient client = new SignInClient(port);
                    client.cookies("app.test").put("_pomerium", cookie);
                    Answer answer = client.get(app("/"));
                    synchronized (renewedCookies) {
                        renewedCookies.add(client.cookies("app.test").get("_pomerium"));
                    }
                    return answer;
                });
            }
            for (Future<Answer> result : pool.invokeAll(calls)) {
                Answer answer = result.get();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers("set-cookie")).as("the renewed session goes out with the answer")
                        .anySatisfy(c -> assertThat(c).startsWith("_pomerium="));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(idp.refreshCalls() - before).as("one provider call for fifty requests").isEqualTo(1);
        assertThat(renewedCookies).doesNotContain(cookie);

        // The renewed cookie is not due again: using it calls the provider no more.
        SignInClient renewed = new SignInClient(port);
        renewed.cookies("app.test").put("_pomerium", renewedCookies.get(0));
        assertThat(renewed.get(app("/")).status()).isEqualTo(200);
        assertThat(idp.refreshCalls() - before).isEqualTo(1);
        assertThat(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion")).isNotBlank();
    }

    @Test
    void anExpiredSessionMeansSignInAgain() throws Exception {
        fixture.restart("cookie_expire: 1h");
        signIn("alice@example.com", app("/"));
        assertThat(browser.get(app("/")).status()).isEqualTo(200);
        fixture.clock.advance(Duration.ofMinutes(59));
        assertThat(browser.get(app("/")).status()).as("an hour's session still holds after 59 minutes").isEqualTo(200);
        fixture.clock.advance(Duration.ofMinutes(2));
        Answer answer = browser.get(app("/"));
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).contains("/.pomerium/sign_in");
    }

    @Test
    void aProviderThatIsDownGetsAPageThatOffersToRetry() throws Exception {
        String providerHost = URI.create(idp.issuerUrl()).getHost();
        idp.stop();
        Answer answer = browser.open(app("/"));
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("Try again").contains("/.pomerium/sign_in");
        assertThat(answer.body()).as("names the host it could not reach")
                .contains("could not complete the sign-in with <code>" + providerHost + "</code>");
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain(TestIdentityProvider.CLIENT_SECRET);
    }

    @Test
    void theProviderRefusingShowsItsReason() throws Exception {
        Answer start = browser.get(app("/"));
        Answer toProvider = browser.get(start.location());
        String state = URLDecoder.decode(URI.create(toProvider.location()).getRawQuery().replaceAll(".*state=([^&]*).*", "$1"),
                StandardCharsets.UTF_8);
        Answer answer = browser.get("http://authenticate.test:" + port + "/oauth2/callback?error=access_denied&error_description="
                + URLEncoder.encode("<b>user cancelled</b>", StandardCharsets.UTF_8) + "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("access_denied").contains("&lt;b&gt;user cancelled").doesNotContain("<b>user");
        Answer forged = new SignInClient(port).get("http://authenticate.test:" + port + "/oauth2/callback?code=x&state=" + state);
        assertThat(forged.status()).as("no sign-in attempt in this browser").isEqualTo(400);
    }

    @Test
    void aLargeSessionTravelsInChunksAndIsJoinedAgain() throws Exception {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            groups.add(java.util.UUID.randomUUID().toString());
        }
        idp.nextUser("alice", "alice@example.com", groups, 3600);
        Answer answer = browser.open(app("/"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(browser.cookies("app.test")).containsKeys("_pomerium", "_pomerium_1");
        assertThat(upstream.lastRequest().header("X-Pomerium-Claim-Groups").split(",")).hasSize(150);
    }

    @Test
    void theLogsOfAWholeSignInHoldNoSecretCookieOrToken() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ch.qos.logback.classic.LoggerContext context = root.getLoggerContext();
        context.getLogger("dev.portcullis").setLevel(ch.qos.logback.classic.Level.DEBUG);
        context.getLogger("portcullis.access").setLevel(ch.qos.logback.classic.Level.DEBUG);
        List<String> secrets = new ArrayList<>();
        try {
            idp.nextUser("alice", "alice@example.com", List.of("family"), 3600);
            List<Answer> hops = browser.follow(app("/private?token=abc"), "Authorization", "Basic c2VjcmV0OnNlY3JldA==");
            hops.forEach(hop -> hop.header("location").ifPresent(location -> {
                int query = location.indexOf('?');
                if (query > 0) {
                    for (String parameter : location.substring(query + 1).split("&")) {
                        String value = parameter.substring(parameter.indexOf('=') + 1);
                        if (value.length() > 20) {
                            secrets.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                        }
                    }
                }
            }));
            secrets.addAll(browser.cookies("app.test").values());
            secrets.addAll(browser.cookies("authenticate.test").values());
            secrets.add(upstream.lastRequest().header("X-Pomerium-Jwt-Assertion"));
            browser.follow(app("/.pomerium/sign_out"));
        } finally {
            root.detachAppender(captured);
            context.getLogger("dev.portcullis").setLevel(null);
            context.getLogger("portcullis.access").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        secrets.add(TestIdentityProvider.CLIENT_SECRET);
        secrets.add("4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=");
        secrets.add("c2VjcmV0OnNlY3JldA==");
        net.logstash.logback.encoder.LogstashEncoder encoder = new net.logstash.logback.encoder.LogstashEncoder();
        encoder.start();
        StringBuilder all = new StringBuilder();
        captured.list.stream()
                .filter(event -> event.getLoggerName().startsWith("dev.portcullis") || event.getLoggerName().startsWith("portcullis"))
                .forEach(event -> all.append(new String(encoder.encode(event), StandardCharsets.UTF_8)));
        assertThat(all).contains("signed in").contains("\"user_id\":\"alice\"");
        assertThat(secrets).hasSizeGreaterThan(5);
        for (String secret : secrets) {
            assertThat(all.toString()).as("the log must not hold %s…", secret.substring(0, 8)).doesNotContain(secret);
        }
        assertThat(all.toString()).doesNotContain("token=abc").doesNotContain("eyJ");
    }
}
