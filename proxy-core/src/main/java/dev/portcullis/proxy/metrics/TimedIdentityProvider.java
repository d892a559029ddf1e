package dev.portcullis.proxy.metrics;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.LogoutNotice;
import dev.portcullis.authn.idp.SignedInUser;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An identity provider that reports how long each call took and how it failed to {@link SignInEvents},
 * by operation ({@code authorization_url}, {@code redeem}, {@code refresh}, {@code end_session_url},
 * {@code verify_logout_token}). Answers exactly what the provider it wraps answers.
 */
public final class TimedIdentityProvider implements IdentityProvider {
    private final IdentityProvider provider;
    private final SignInEvents events;

    private TimedIdentityProvider(IdentityProvider provider, SignInEvents events) {
        this.provider = requireNonNull(provider, "provider");
        this.events = requireNonNull(events, "events");
    }

    /** {@code provider} timed into {@code events}; {@code provider} itself when events are ignored. */
    public static IdentityProvider wrap(IdentityProvider provider, SignInEvents events) {
        return events == SignInEvents.NONE ? provider : new TimedIdentityProvider(provider, events);
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public CompletionStage<URI> authorizationUrl(AuthorizationRequest request) {
        return timed("authorization_url", () -> provider.authorizationUrl(request));
    }

    @Override
    public CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request) {
        return timed("redeem", () -> provider.redeem(code, request));
    }

    @Override
    public CompletionStage<SignedInUser> refresh(String refreshToken) {
        return timed("refresh", () -> provider.refresh(refreshToken));
    }

    @Override
    public CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri) {
        return timed("end_session_url", () -> provider.endSessionUrl(idTokenHint, postLogoutRedirectUri));
    }

    @Override
    public CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken) {
        return timed("verify_logout_token", () -> provider.verifyLogoutToken(logoutToken));
    }

    private <T> CompletionStage<T> timed(String operation, Supplier<CompletionStage<T>> call) {
        long start = System.nanoTime();
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
                events.providerCall(operation, System.nanoTime() - start,
                        Optional.ofNullable(failure).map(TimedIdentityProvider::kind));
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

    private static String kind(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IdentityProviderException e) {
            return e.kind() == IdentityProviderException.Kind.REJECTED ? "rejected" : "unavailable";
        }
        return "error";
    }
}
