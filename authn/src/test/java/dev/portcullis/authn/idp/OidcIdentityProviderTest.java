package dev.portcullis.authn.idp;

import static dev.portcullis.authn.idp.Stages.await;
import static dev.portcullis.authn.idp.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.authn.idp.IdentityProviderException.Kind;
import dev.portcullis.authn.testing.TestClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenID Connect code flow against mock-oauth2-server on a real socket. */
class OidcIdentityProviderTest {

    private static final String ISSUER = "issuer1";
    private static final String CLIENT_ID = "portcullis";
    private static final URI REDIRECT = URI.create("https://authenticate.example.com/oauth2/callback");

    private final SecureRandom random = new SecureRandom();
    private final TestClock clock = new TestClock();
    private MockOAuth2Server server;
    private ExecutorService blocking;
    private IdentityProvider provider;

    @BeforeEach
    void start() {
        server = new MockOAuth2Server();
        server.start();
        blocking = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "idp-blocking");
            thread.setDaemon(true);
            return thread;
        });
        provider = IdentityProviders.create(settings(Map.of("hd", "example.com")), blocking, clock);
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        server.shutdown();
    }

    private ProviderSettings settings(Map<String, String> requestParams) {
        return new ProviderSettings("oidc", Optional.of(server.issuerUrl(ISSUER).uri()), CLIENT_ID, "client-secret",
                List.of(), requestParams);
    }

    private SignedInUser signIn(AuthorizationRequest request) throws Exception {
        Map<String, String> callback = Browser.callbackParameters(await(provider.authorizationUrl(request)));
        assertThat(callback.get("state")).isEqualTo(request.state());
        return await(provider.redeem(callback.get("code"), request));
    }

    private void enqueueUser(String subject, Map<String, Object> claims, long expirySeconds) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", null, claims, expirySeconds));
    }

    private List<RecordedRequest> recordedRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                RecordedRequest request = server.takeRequest(200, TimeUnit.MILLISECONDS);
                if (request == null) {
                    return requests;
                }
                requests.add(request);
            } catch (RuntimeException e) {
                return requests;
            }
        }
    }

    @Test
    void authorizationUrlCarriesStateNonceAndPkceChallenge() throws Exception {
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);

        URI url = await(provider.authorizationUrl(request));

        assertThat(url.toString()).startsWith(server.authorizationEndpointUrl(ISSUER).toString());
        Map<String, String> query = Browser.query(url);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(request.codeVerifier().getBytes(StandardCharsets.US_ASCII));
        assertThat(query)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("scope", "openid profile email offline_access")
                .containsEntry("state", request.state())
                .containsEntry("nonce", request.nonce())
                .containsEntry("code_challenge", Base64URL.encode(digest).toString())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("hd", "example.com");
    }

    @Test
    void startDrawsFreshRandomValues() {
        AuthorizationRequest first = AuthorizationRequest.start(REDIRECT, random);
        AuthorizationRequest second = AuthorizationRequest.start(REDIRECT, random);

        assertThat(first.state()).hasSize(43).isNotEqualTo(second.state()).isNotEqualTo(first.nonce());
        assertThat(first.nonce()).hasSize(43).isNotEqualTo(second.nonce());
        assertThat(first.codeVerifier()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(second.codeVerifier());
        assertThat(first.toString()).doesNotContain(first.state(), first.nonce(), first.codeVerifier());
    }

    @Test
    void codeFlowSignsTheUserIn() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", "ada@example.com");
        claims.put("name", "Ada Lovelace");
        claims.put("groups", List.of("admins", "ops"));
        claims.put("sid", "provider-session-1");
        claims.put("department", Map.of("id", 7, "title", "Engines"));
        enqueueUser("user-1", claims, 3600);
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);

        SignedInUser user = signIn(request);

        assertThat(user.userId()).isEqualTo("user-1");
        assertThat(user.email()).isEqualTo("ada@example.com");
        assertThat(user.name()).isEqualTo("Ada Lovelace");
        assertThat(user.groups()).containsExactly("admins", "ops");
        assertThat(user.providerSessionId()).contains("provider-session-1");
        assertThat(user.claims())
                .containsEntry("sub", "user-1")
                .containsEntry("department", Map.of("id", 7L, "title", "Engines"))
                .doesNotContainKeys("iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "jti");
        assertThat(user.claims().values()).allSatisfy(OidcIdentityProviderTest::assertPlainJson);
        assertThat(user.idToken()).isPresent();
        assertThat(SignedJWT.parse(user.idToken().orElseThrow()).getJWTClaimsSet().getStringClaim("nonce"))
                .isEqualTo(request.nonce());
        assertThat(user.refreshToken()).isPresent();
        assertThat(user.tokensExpireAt()).hasValueSatisfying(expiry -> assertThat(expiry)
                .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700)));
        assertThat(user.toString()).doesNotContain(user.idToken().orElseThrow(), user.refreshToken().orElseThrow(),
                "ada@example.com", "Engines");

        List<RecordedRequest> requests = recordedRequests();
        RecordedRequest token = requests.stream().filter(r -> r.getPath().endsWith("/token")).findFirst().orElseThrow();
        assertThat(token.getHeader("Authorization")).startsWith("Basic ");
        assertThat(Browser.query(URI.create("?" + token.getBody().readUtf8())))
                .containsEntry("grant_type", "authorization_code")
                .containsEntry("code_verifier", request.codeVerifier())
                .containsEntry("redirect_uri", REDIRECT.toString());
        assertThat(requests).as("the ID token had email, name and groups: no userinfo call")
                .noneMatch(r -> r.getPath().contains("userinfo"));
    }

    @Test
    void wrongNonceIsRejected() throws Exception {
        enqueueUser("user-1", Map.of("email", "ada@example.com"), 3600);
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        String code = Browser.callbackParameters(await(provider.authorizationUrl(request))).get("code");
        AuthorizationRequest otherNonce = new AuthorizationRequest(REDIRECT, request.state(), "some-other-nonce",
                request.codeVerifier());

        IdentityProviderException failure = failureOf(provider.redeem(code, otherNonce));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("nonce").doesNotContain(request.nonce(), "some-other-nonce", code);
    }

    @Test
    void wrongCodeVerifierIsRefusedByTheProvider() throws Exception {
        enqueueUser("user-1", Map.of(), 3600);
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        String code = Browser.callbackParameters(await(provider.authorizationUrl(request))).get("code");
        AuthorizationRequest otherVerifier = new AuthorizationRequest(REDIRECT, request.state(), request.nonce(),
                AuthorizationRequest.start(REDIRECT, random).codeVerifier());

        IdentityProviderException failure = failureOf(provider.redeem(code, otherVerifier));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("invalid_grant").doesNotContain(code);
    }

    @Test
    void idTokenForAnotherAudienceIsRejected() throws Exception {
        enqueueUser("user-1", Map.of("aud", "another-client"), 3600);

        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        String code = Browser.callbackParameters(await(provider.authorizationUrl(request))).get("code");

        IdentityProviderException failure = failureOf(provider.redeem(code, request));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("audience");
    }

    @Test
    void idTokenNamingAnotherIssuerIsRejected() throws Exception {
        enqueueUser("user-1", Map.of("iss", server.issuerUrl("issuer2").toString()), 3600);
        AuthorizationRequest request = AuthorizationRequest.start(REDIRECT, random);
        String code = Browser.callbackParameters(await(provider.authorizationUrl(request))).get("code");

        IdentityProviderException failure = failureOf(provider.redeem(code, request));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("issuer");
    }

    @Test
    void refreshReturnsNewTokensAndExpiry() throws Exception {
        enqueueUser("user-1", Map.of("email", "ada@example.com", "name", "Ada", "groups", List.of("ops")), 120);
        SignedInUser user = signIn(AuthorizationRequest.start(REDIRECT, random));
        recordedRequests();
        clock.advance(Duration.ofMinutes(10));

        SignedInUser refreshed = await(provider.refresh(user.refreshToken().orElseThrow()));

        assertThat(refreshed.userId()).isEqualTo("user-1");
        assertThat(refreshed.email()).isEqualTo("ada@example.com");
        assertThat(refreshed.groups()).containsExactly("ops");
        assertThat(refreshed.idToken()).isPresent().isNotEqualTo(user.idToken());
        assertThat(refreshed.refreshToken()).isPresent();
        assertThat(refreshed.tokensExpireAt().orElseThrow())
                .isAfter(user.tokensExpireAt().orElseThrow().plus(Duration.ofMinutes(9)));
        List<RecordedRequest> requests = recordedRequests();
        RecordedRequest token = requests.stream().filter(r -> r.getPath().endsWith("/token")).findFirst().orElseThrow();
        assertThat(Browser.query(URI.create("?" + token.getBody().readUtf8())))
                .containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", user.refreshToken().orElseThrow());
        assertThat(requests).as("identity re-read").anyMatch(r -> r.getPath().contains("userinfo"));
    }

    @Test
    void stoppedProviderIsUnavailableAndTheCallRunsOnTheExecutor() throws Exception {
        enqueueUser("user-1", Map.of("email", "ada@example.com", "name", "Ada", "groups", List.of()), 3600);
        SignedInUser user = signIn(AuthorizationRequest.start(REDIRECT, random));
        ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
        IdentityProvider queuedProvider = IdentityProviders.create(settings(Map.of()), queued::add, clock);
        AtomicReference<String> completedOn = new AtomicReference<>();

        CompletableFuture<SignedInUser> refresh = queuedProvider.refresh(user.refreshToken().orElseThrow())
                .toCompletableFuture();
        refresh.whenComplete((result, failure) -> completedOn.set(Thread.currentThread().getName()));
        assertThat(refresh).as("nothing ran on the caller's thread").isNotDone();
        server.shutdown();
        Thread worker = new Thread(() -> {
            for (Runnable task; (task = queued.poll()) != null; ) {
                task.run();
            }
        }, "test-blocking-worker");
        worker.start();
        worker.join(30_000);

        IdentityProviderException failure = failureOf(refresh);
        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(completedOn.get()).isEqualTo("test-blocking-worker");
    }

    @Test
    void endSessionUrlCarriesTheHintTheReturnAddressAndTheState() throws Exception {
        enqueueUser("user-1", Map.of("email", "ada@example.com", "name", "Ada", "groups", List.of()), 3600);
        SignedInUser user = signIn(AuthorizationRequest.start(REDIRECT, random));
        URI signedOut = URI.create("https://app.example.com/.pomerium/signed_out");

        URI url = await(provider.endSessionUrl(user.idToken(), signedOut, Optional.empty())).orElseThrow();
        URI withState = await(provider.endSessionUrl(user.idToken(), signedOut,
                Optional.of("https://app.example.com/"))).orElseThrow();

        assertThat(url.toString()).startsWith(server.endSessionEndpointUrl(ISSUER).toString());
        assertThat(Browser.query(url))
                .containsEntry("id_token_hint", user.idToken().orElseThrow())
                .containsEntry("post_logout_redirect_uri", signedOut.toString())
                .containsEntry("client_id", CLIENT_ID)
                .doesNotContainKey("state");
        assertThat(Browser.query(withState)).containsEntry("state", "https://app.example.com/");
    }

    private static void assertPlainJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            assertThat(map.keySet()).allMatch(String.class::isInstance);
            map.values().forEach(OidcIdentityProviderTest::assertPlainJson);
        } else if (value instanceof List<?> list) {
            list.forEach(OidcIdentityProviderTest::assertPlainJson);
        } else if (value != null) {
            assertThat(value).isInstanceOfAny(String.class, Number.class, Boolean.class);
        }
    }
}
