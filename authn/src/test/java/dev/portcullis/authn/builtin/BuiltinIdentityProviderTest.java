package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.SignedInUser;
import dev.portcullis.authn.testing.StoppedClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BuiltinIdentityProviderTest {

    private static final URI PAGE = URI.create("https://authenticate.example.com/.pomerium/builtin/sign_in");
    private static final URI CALLBACK = URI.create("https://authenticate.example.com/oauth2/callback");
    private static final BuiltinUser ALICE = new BuiltinUser("Alice@Example.com", "Alice", List.of("family", "admins"),
            Optional.of(UsersFileTest.HASH), Optional.empty());

    private final StoppedClock clock = new StoppedClock(Instant.parse("2026-01-31T09:00:00Z"));
    private final AtomicReference<UsersFile> users = new AtomicReference<>(UsersFile.empty().with(ALICE));
    private final BuiltinIdentityProvider provider =
            new BuiltinIdentityProvider(PAGE, users::get, BuiltinStores.inMemory(clock).codes(), clock);
    private final AuthorizationRequest request = AuthorizationRequest.start(CALLBACK, new SecureRandom());

    @Test
    void sendsTheBrowserToTheSignInPageWithStateNonceAndRedirectUri() {
        URI url = provider.authorizationUrl(request).toCompletableFuture().join();

        assertThat(url.toString()).isEqualTo(PAGE + "?state=" + request.state() + "&nonce=" + request.nonce()
                + "&redirect_uri=https%3A%2F%2Fauthenticate.example.com%2Foauth2%2Fcallback");
        assertThat(provider.name()).isEqualTo("builtin");
    }

    @Test
    void aCodeRedeemsOnceToTheUsersIdentity() {
        String code = provider.issueCode(ALICE, request.state(), request.nonce()).toCompletableFuture().join();

        SignedInUser user = provider.redeem(code, request).toCompletableFuture().join();

        assertThat(user.userId()).isEqualTo("alice@example.com");
        assertThat(user.email()).isEqualTo("Alice@Example.com");
        assertThat(user.name()).isEqualTo("Alice");
        assertThat(user.groups()).containsExactly("family", "admins");
        assertThat(user.claims()).isEqualTo(Map.of("email", "Alice@Example.com", "name", "Alice",
                "groups", List.of("family", "admins"), "email_verified", true));
        assertThat(user.idToken()).isEmpty();
        assertThat(user.refreshToken()).isEmpty();
        assertThat(user.providerSessionId()).isEmpty();
        assertRejected(provider.redeem(code, request), "unknown, used or expired");
    }

    @Test
    void aCodeForAnotherSignInIsRejectedAndUsedUp() {
        AuthorizationRequest other = AuthorizationRequest.start(CALLBACK, new SecureRandom());
        String code = provider.issueCode(ALICE, request.state(), request.nonce()).toCompletableFuture().join();
        assertRejected(provider.redeem(code, other), "another sign-in");
        assertRejected(provider.redeem(code, request), "unknown, used or expired");

        String wrongNonce = provider.issueCode(ALICE, request.state(), other.nonce()).toCompletableFuture().join();
        assertRejected(provider.redeem(wrongNonce, request), "another sign-in");
        String wrongState = provider.issueCode(ALICE, other.state(), request.nonce()).toCompletableFuture().join();
        assertRejected(provider.redeem(wrongState, request), "another sign-in");
    }

    @Test
    void aCodeIsRedeemedToTheUserAsTheUsersFileHasThemThenAndRefusedWhenTheyWereRemoved() {
        String code = provider.issueCode(ALICE, request.state(), request.nonce()).toCompletableFuture().join();
        users.set(UsersFile.empty().with(new BuiltinUser("alice@example.com", "Alice B.", List.of("family"),
                Optional.of(UsersFileTest.HASH), Optional.empty())));

        SignedInUser user = provider.redeem(code, request).toCompletableFuture().join();
        assertThat(user.userId()).isEqualTo("alice@example.com");
        assertThat(user.name()).isEqualTo("Alice B.");
        assertThat(user.groups()).as("the groups of the file at redemption").containsExactly("family");

        String removed = provider.issueCode(ALICE, request.state(), request.nonce()).toCompletableFuture().join();
        users.set(UsersFile.empty());
        assertRejected(provider.redeem(removed, request), "no longer exists");
        assertRejected(provider.redeem(removed, request), "unknown, used or expired");
    }

    @Test
    void aCodeExpiresAfterTwoMinutes() {
        String code = provider.issueCode(ALICE, request.state(), request.nonce()).toCompletableFuture().join();
        clock.advance(BuiltinIdentityProvider.CODE_LIFETIME.plus(Duration.ofSeconds(1)));

        assertRejected(provider.redeem(code, request), "unknown, used or expired");
        assertRejected(provider.redeem("made-up", request), "unknown, used or expired");
    }

    @Test
    void hasNoRefreshNoEndSessionAndNoLogoutTokens() {
        assertRejected(provider.refresh("anything"), "does not support refresh");
        assertThat(provider.endSessionUrl(Optional.empty(), CALLBACK, Optional.empty()).toCompletableFuture().join()).isEmpty();
        assertRejected(provider.verifyLogoutToken("a.b.c"), "does not accept logout tokens");
    }

    @Test
    void theSignInPageMustBeAnAbsoluteUrlWithoutQuery() {
        assertThatThrownBy(() -> new BuiltinIdentityProvider(URI.create("/sign_in"), users::get, BuiltinStores.inMemory(clock).codes(), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BuiltinIdentityProvider(URI.create(PAGE + "?x=1"), users::get, BuiltinStores.inMemory(clock).codes(), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRejected(CompletionStage<?> stage, String message) {
        assertThatThrownBy(() -> stage.toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(IdentityProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityProviderException.Kind.REJECTED))
                .hasMessageContaining(message);
    }
}
