package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An identity provider that tells a {@link ProviderCallObserver} about each call, and answers exactly
 * what the provider it wraps answers: the same value, or the same failure (not wrapped again).
 */
public final class ObservedIdentityProvider implements IdentityProvider {
    private final IdentityProvider provider;
    private final ProviderCallObserver observer;

    public ObservedIdentityProvider(IdentityProvider provider, ProviderCallObserver observer) {
        this.provider = requireNonNull(provider, "provider");
        this.observer = requireNonNull(observer, "observer");
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public CompletionStage<URI> authorizationUrl(AuthorizationRequest request) {
        return observed("authorization_url", () -> provider.authorizationUrl(request));
    }

    @Override
    public CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request) {
        return observed("redeem", () -> provider.redeem(code, request));
    }

    @Override
    public CompletionStage<SignedInUser> refresh(String refreshToken) {
        return observed("refresh", () -> provider.refresh(refreshToken));
    }

    @Override
    public CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri,
            Optional<String> state) {
        return observed("end_session_url", () -> provider.endSessionUrl(idTokenHint, postLogoutRedirectUri, state));
    }

    @Override
    public CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken) {
        return observed("verify_logout_token", () -> provider.verifyLogoutToken(logoutToken));
    }

    private <T> CompletionStage<T> observed(String operation, Supplier<CompletionStage<T>> call) {
        Consumer<Throwable> ended = observer.started(operation);
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        // Completed with exactly the provider's value or failure (whenComplete would wrap a failure).
        CompletableFuture<T> answer = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            try {
                ended.accept(failure);
            } finally {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(value);
                }
            }
        });
        return answer;
    }
}
