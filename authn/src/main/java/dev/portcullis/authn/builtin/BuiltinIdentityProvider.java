package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.LogoutNotice;
import dev.portcullis.authn.idp.SignedInUser;
import dev.portcullis.authn.store.OneTimeCodes;
import dev.portcullis.authn.store.StoreUnavailable;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The built-in users as an {@link IdentityProvider}, so the authenticate host treats them like any
 * provider. The "authorization server" is the sign-in page: {@link #authorizationUrl} sends the browser
 * there with the sign-in's {@code state}, {@code nonce} and {@code redirect_uri}; after
 * {@link BuiltinSignIn} accepted the credentials, the page calls {@link #issueCode} and redirects to the
 * {@code redirect_uri} with the code and state, and the callback {@link #redeem redeems} it.
 *
 * <p>Codes are random (256 bits), live 2 minutes and work once; a code redeemed with another
 * {@code state} or {@code nonce} than it was issued for is refused (and used up). A code stands for the user's
 * email only ({@link IssuedCode}): the user is read from the current users file when the code is redeemed, so a
 * user removed meanwhile is refused, groups changed meanwhile apply, and a store shared through Redis never holds a
 * password hash or TOTP secret. Redemption gives the
 * user id {@code email} lower-cased and the claims {@code email}, {@code name}, {@code groups} and
 * {@code email_verified: true}; there are no tokens, so no refresh, no RP-initiated logout and no
 * back-channel logout: those calls fail with {@code REJECTED} or answer empty. Nothing here blocks.
 */
public final class BuiltinIdentityProvider implements IdentityProvider {

    /** The {@code idp_provider} value that selects this provider. */
    public static final String NAME = "builtin";
    /** How long an issued code may wait for redemption. */
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);

    private final URI signInPage;
    private final Supplier<UsersFile> users;
    private final OneTimeCodes<IssuedCode> codes;
    private final Clock clock;

    /**
     * @param signInPage the sign-in page's absolute URL, e.g.
     *                   {@code https://authenticate.example.com/.pomerium/builtin/sign_in}
     * @param users      the current users file, read at every redemption (so a reloaded file applies at once)
     * @param codes      holds the codes issued until they are redeemed
     */
    public BuiltinIdentityProvider(URI signInPage, Supplier<UsersFile> users, OneTimeCodes<IssuedCode> codes,
            Clock clock) {
        this.signInPage = requireNonNull(signInPage, "signInPage");
        if (!signInPage.isAbsolute() || signInPage.getRawQuery() != null || signInPage.getRawFragment() != null) {
            throw new IllegalArgumentException("signInPage: " + signInPage + " (expected: an absolute URL without query)");
        }
        this.users = requireNonNull(users, "users");
        this.codes = requireNonNull(codes, "codes");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code signInPage?state=…&nonce=…&redirect_uri=…}; the PKCE verifier stays unused (no code leaves the proxy). */
    @Override
    public CompletionStage<URI> authorizationUrl(AuthorizationRequest request) {
        requireNonNull(request, "request");
        return CompletableFuture.completedFuture(URI.create(signInPage + "?state=" + encode(request.state())
                + "&nonce=" + encode(request.nonce()) + "&redirect_uri=" + encode(request.redirectUri().toString())));
    }

    /**
     * A code that {@link #redeem} turns into {@code user} once, within {@link #CODE_LIFETIME}, for the
     * sign-in with this {@code state} and {@code nonce}. Fails when the codes store holds as many as it
     * may, or cannot answer.
     */
    public CompletionStage<String> issueCode(BuiltinUser user, String state, String nonce) {
        return codes.issue(new IssuedCode(requireNonNull(user, "user").normalizedEmail(), requireNonNull(state, "state"),
                requireNonNull(nonce, "nonce")), clock.instant().plus(CODE_LIFETIME));
    }

    @Override
    public CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request) {
        requireNonNull(code, "code");
        requireNonNull(request, "request");
        return StoreUnavailable.asking(() -> codes.take(code)).thenCompose(issued -> redeemed(issued, request));
    }

    private CompletionStage<SignedInUser> redeemed(Optional<IssuedCode> issued, AuthorizationRequest request) {
        if (issued.isEmpty()) {
            return rejected("the sign-in code is unknown, used or expired; please sign in again");
        }
        if (!same(issued.get().state(), request.state()) || !same(issued.get().nonce(), request.nonce())) {
            return rejected("the sign-in code belongs to another sign-in; please sign in again");
        }
        Optional<BuiltinUser> current;
        try {
            current = users.get().find(issued.get().email());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (current.isEmpty()) {
            return rejected("the user of the sign-in code no longer exists; please sign in again");
        }
        BuiltinUser user = current.get();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", user.email());
        claims.put("name", user.name());
        claims.put("groups", user.groups());
        claims.put("email_verified", true);
        return CompletableFuture.completedFuture(new SignedInUser(user.normalizedEmail(), user.email(), user.name(),
                user.groups(), claims, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    /** Always {@code REJECTED}: built-in sign-ins have no refresh token. */
    @Override
    public CompletionStage<SignedInUser> refresh(String refreshToken) {
        return rejected("the built-in identity provider does not support refresh");
    }

    /** Always empty: signing out of the proxy is all there is. */
    @Override
    public CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri,
            Optional<String> state) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** Always {@code REJECTED}: nobody else issues logout tokens for built-in users. */
    @Override
    public CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken) {
        return rejected("the built-in identity provider does not accept logout tokens");
    }

    private static <T> CompletionStage<T> rejected(String message) {
        return CompletableFuture.failedFuture(IdentityProviderException.rejected(message));
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * What a code stands for: the user with this {@code email} (lower-cased) signed in, for the sign-in with this
     * {@code state} and {@code nonce}. Holds no credential of the user: it may be kept in a shared store.
     */
    public record IssuedCode(String email, String state, String nonce) {
        public IssuedCode {
            requireNonNull(email, "email");
            requireNonNull(state, "state");
            requireNonNull(nonce, "nonce");
        }

        @Override
        public String toString() {
            return "IssuedCode[user=" + email + "]";
        }
    }

    @Override
    public String toString() {
        return "BuiltinIdentityProvider[" + signInPage + "]";
    }
}
