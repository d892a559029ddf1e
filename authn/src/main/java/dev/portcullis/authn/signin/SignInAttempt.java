package dev.portcullis.authn.signin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * One browser's sign-in in progress, between the redirect to the identity provider and its answer
 * at the callback. It travels sealed in the CSRF cookie ({@code _pomerium_csrf}), so the callback
 * accepts an answer only in the browser that started the sign-in ({@code state} must match).
 *
 * @param state                 the OAuth {@code state} sent to the provider
 * @param nonce                 the OpenID Connect {@code nonce} the ID token must carry
 * @param codeVerifier          the PKCE verifier
 * @param returnUrl             where the user was going: a URL on a route host
 * @param programmaticRedirect  for programmatic login, the client's URL that receives the token
 * @param expiresAt             when the attempt is too old to finish
 */
public record SignInAttempt(String state, String nonce, String codeVerifier, URI returnUrl,
        Optional<URI> programmaticRedirect, Instant expiresAt) {
    public SignInAttempt {
        requireNonNull(state, "state");
        requireNonNull(nonce, "nonce");
        requireNonNull(codeVerifier, "codeVerifier");
        requireNonNull(returnUrl, "returnUrl");
        requireNonNull(programmaticRedirect, "programmaticRedirect");
        requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "SignInAttempt[returnUrl=" + returnUrl + ", programmatic=" + programmaticRedirect.isPresent()
                + ", expiresAt=" + expiresAt + "]";
    }
}
