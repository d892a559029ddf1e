package dev.portcullis.authn.idp;

import java.util.function.Consumer;

/**
 * Told about every call to an identity provider (metrics time them, tracing puts a span around
 * them): {@link #started} when a call begins, and the callback it returns when the call has ended,
 * with the failure, or {@code null} on success.
 */
@FunctionalInterface
public interface ProviderCallObserver {
    /**
     * @param operation {@code authorization_url}, {@code redeem}, {@code refresh},
     *                  {@code end_session_url} or {@code verify_logout_token}
     * @return what to call when the call has ended (failure or {@code null})
     */
    Consumer<Throwable> started(String operation);
}
