package dev.portcullis.proxy.tracing;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.LogoutNotice;
import dev.portcullis.authn.idp.SignedInUser;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An identity provider with a CLIENT span around each call ({@code idp authorization_url}, {@code idp redeem},
 * {@code idp refresh}, {@code idp end_session_url}, {@code idp verify_logout_token}), child of the span current when
 * the call is made (the request's, see {@link RequestTrace#makeCurrent}). Answers exactly what the provider it
 * wraps answers; no token or user is put on the span.
 */
final class TracedIdentityProvider implements IdentityProvider {
    private final IdentityProvider provider;
    private final Tracer tracer;

    TracedIdentityProvider(IdentityProvider provider, Tracer tracer) {
        this.provider = requireNonNull(provider, "provider");
        this.tracer = requireNonNull(tracer, "tracer");
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public CompletionStage<URI> authorizationUrl(AuthorizationRequest request) {
        return traced("authorization_url", () -> provider.authorizationUrl(request));
    }

    @Override
    public CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request) {
        return traced("redeem", () -> provider.redeem(code, request));
    }

    @Override
    public CompletionStage<SignedInUser> refresh(String refreshToken) {
        return traced("refresh", () -> provider.refresh(refreshToken));
    }

    @Override
    public CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri) {
        return traced("end_session_url", () -> provider.endSessionUrl(idTokenHint, postLogoutRedirectUri));
    }

    @Override
    public CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken) {
        return traced("verify_logout_token", () -> provider.verifyLogoutToken(logoutToken));
    }

    private <T> CompletionStage<T> traced(String operation, Supplier<CompletionStage<T>> call) {
        Span span = tracer.spanBuilder("idp " + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute("portcullis.idp", provider.name()).startSpan();
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
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                span.end();
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
