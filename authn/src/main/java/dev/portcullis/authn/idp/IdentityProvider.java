package dev.portcullis.authn.idp;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One configured identity provider. Every method that may touch the network runs that work on the
 * blocking executor the provider was created with, never on the caller's thread; a stage that fails
 * does so with an {@link IdentityProviderException} whose {@link IdentityProviderException.Kind kind}
 * tells a retryable outage ({@code UNAVAILABLE}) from a refusal ({@code REJECTED}).
 */
public interface IdentityProvider {

    /** The provider preset's name: {@code oidc}, {@code google}, {@code github}, ... */
    String name();

    /** The URL to send the browser to: OAuth 2 authorization request with state, nonce and PKCE (S256). */
    CompletionStage<URI> authorizationUrl(AuthorizationRequest request);

    /**
     * Redeems an authorization code (with the request's PKCE verifier), validates the ID token
     * against the request's nonce, reads userinfo for claims the ID token lacks, and adds what the
     * provider needs besides (group overage, GitHub teams).
     */
    CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request);

    /**
     * Refresh token grant (RFC 6749 §6); the identity is read again. The returned user keeps the
     * given refresh token when the provider does not rotate it.
     */
    CompletionStage<SignedInUser> refresh(String refreshToken);

    /**
     * The provider's logout URL (OpenID Connect RP-Initiated Logout 1.0) when its discovery
     * document has an {@code end_session_endpoint}; empty otherwise.
     *
     * @param state a value the provider passes back to {@code postLogoutRedirectUri} as {@code state}
     */
    CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri,
            Optional<String> state);

    /** Validates a logout token per OpenID Connect Back-Channel Logout 1.0 §2.6. */
    CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken);
}
