package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.util.Base64URL;
import java.net.URI;
import java.security.SecureRandom;

/**
 * The values one sign-in sends to the provider and must find again in its answer: the redirect URI,
 * the OAuth {@code state}, the OpenID Connect {@code nonce} and the PKCE code verifier (RFC 7636).
 * {@link #toString()} shows only the redirect URI.
 *
 * @param redirectUri  the callback URL registered with the provider
 * @param state        the OAuth {@code state}
 * @param nonce        the {@code nonce} the ID token must carry
 * @param codeVerifier the PKCE verifier; its S256 challenge goes in the authorization URL
 */
public record AuthorizationRequest(URI redirectUri, String state, String nonce, String codeVerifier) {

    private static final int RANDOM_BYTES = 32;

    public AuthorizationRequest {
        requireNonNull(redirectUri, "redirectUri");
        requireNonNull(state, "state");
        requireNonNull(nonce, "nonce");
        requireNonNull(codeVerifier, "codeVerifier");
        if (codeVerifier.length() < 43 || codeVerifier.length() > 128) {
            throw new IllegalArgumentException(
                    "codeVerifier: " + codeVerifier.length() + " characters (expected: 43 to 128, RFC 7636 §4.1)");
        }
    }

    /**
     * A new request with 256-bit random state, nonce and PKCE verifier (43 base64url characters each).
     */
    public static AuthorizationRequest start(URI redirectUri, SecureRandom random) {
        requireNonNull(random, "random");
        return new AuthorizationRequest(redirectUri, randomValue(random), randomValue(random), randomValue(random));
    }

    private static String randomValue(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[redirectUri=" + redirectUri + "]";
    }
}
