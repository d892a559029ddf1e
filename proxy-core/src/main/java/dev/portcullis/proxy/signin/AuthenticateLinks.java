package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.util.Optional;

/**
 * The addresses of the authenticate service ({@code authenticate_service_url}) that sign-in sends
 * browsers to: sign-in (for a return URL, or with a programmatic login ticket), the callback, and
 * sign-out.
 */
final class AuthenticateLinks {
    static final String SIGN_IN_PATH = "/.pomerium/sign_in";
    static final String SIGN_OUT_PATH = "/.pomerium/sign_out";
    static final String SIGNED_OUT_PATH = "/.pomerium/signed_out";
    static final String REDIRECT_PARAMETER = "pomerium_redirect_uri";
    static final String LOGIN_TICKET_PARAMETER = "pomerium_login";
    /** The route page a signed-out person may sign in again on, carried from a route host's sign-out. */
    static final String SIGNED_OUT_FROM_PARAMETER = "signed_out_from";

    private final URI authenticateUrl;
    private final String base;
    private final String callbackPath;

    AuthenticateLinks(URI authenticateUrl, String callbackPath) {
        this.authenticateUrl = requireNonNull(authenticateUrl, "authenticateUrl");
        this.base = authenticateUrl.getScheme() + "://" + authenticateUrl.getRawAuthority();
        this.callbackPath = requireNonNull(callbackPath, "callbackPath");
    }

    /** The authenticate host, as it appears in a URL ({@code host[:port]}). */
    String authority() {
        return authenticateUrl.getRawAuthority();
    }

    /** The path of the provider's callback ({@code authenticate_callback_path}). */
    String callbackPath() {
        return callbackPath;
    }

    /** The authenticate host's user page, {@code /.pomerium/}, where a built-in user's passkeys are kept. */
    URI userPageUrl() {
        return URI.create(base + "/.pomerium/");
    }

    /** The callback's absolute URL: the provider's {@code redirect_uri}. */
    URI callbackUrl() {
        return URI.create(base + callbackPath);
    }

    /** The URL that signs in and then returns to {@code returnUrl}. */
    String signInUrl(URI returnUrl) {
        QueryStringEncoder url = new QueryStringEncoder(base + SIGN_IN_PATH);
        url.addParam(REDIRECT_PARAMETER, returnUrl.toString());
        return url.toString();
    }

    /** The sign-in URL of programmatic login, carrying its sealed ticket. */
    String programmaticSignInUrl(String ticket) {
        QueryStringEncoder url = new QueryStringEncoder(base + SIGN_IN_PATH);
        url.addParam(LOGIN_TICKET_PARAMETER, ticket);
        return url.toString();
    }

    /**
     * The authenticate host's sign-out, which then continues to {@code next}, or ends on the signed-out page
     * offering to sign in again at {@code from} (the route page the person signed out of).
     */
    String signOutUrl(Optional<String> next, Optional<URI> from) {
        QueryStringEncoder url = new QueryStringEncoder(base + SIGN_OUT_PATH);
        next.ifPresent(n -> url.addParam(REDIRECT_PARAMETER, n));
        from.filter(f -> next.isEmpty()).ifPresent(f -> url.addParam(SIGNED_OUT_FROM_PARAMETER, f.toString()));
        return url.toString();
    }

    /** Where a sign-out ends when nothing else is asked for or configured. */
    String signedOutUrl() {
        return base + SIGNED_OUT_PATH;
    }

    /** The signed-out page, offering to sign in again at {@code from} when there is one. */
    String signedOutUrl(Optional<URI> from) {
        QueryStringEncoder url = new QueryStringEncoder(signedOutUrl());
        from.ifPresent(f -> url.addParam(SIGNED_OUT_FROM_PARAMETER, f.toString()));
        return url.toString();
    }
}
