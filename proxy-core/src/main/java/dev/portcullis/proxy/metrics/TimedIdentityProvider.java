package dev.portcullis.proxy.metrics;

import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.ObservedIdentityProvider;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Times each identity provider call into {@link SignInEvents}, by operation ({@code authorization_url},
 * {@code redeem}, {@code refresh}, {@code end_session_url}, {@code verify_logout_token}), with the
 * failure's kind; the calls themselves are unchanged ({@link ObservedIdentityProvider}).
 */
public final class TimedIdentityProvider {
    private TimedIdentityProvider() {}

    /** {@code provider} timed into {@code events}; {@code provider} itself when events are ignored. */
    public static IdentityProvider wrap(IdentityProvider provider, SignInEvents events) {
        if (events == SignInEvents.NONE) {
            return provider;
        }
        return new ObservedIdentityProvider(provider, operation -> {
            long start = System.nanoTime();
            return failure -> events.providerCall(operation, System.nanoTime() - start,
                    Optional.ofNullable(failure).map(TimedIdentityProvider::kind));
        });
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
