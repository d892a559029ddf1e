package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.SignInGap;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.util.Optional;

/**
 * The links a route host offers for signing in and out: to sign in and come back, to sign in as
 * someone else, and where a sign-out ends (the requested route URL when allowed, else
 * {@code signout_redirect_url}). Only to this configuration's route hosts (no open redirect).
 *
 * @param authenticate           the authenticate service's links; empty when sign-in is not configured
 * @param returnUrls             which URLs are this configuration's routes
 * @param anySignOutRedirect     whether a sign-out may end at any URL (Pomerium's runtime flag)
 * @param signOutRedirectUrl     {@code signout_redirect_url}
 * @param gap                    when sign-in is not configured: what is missing ({@link SignInGap})
 */
record SignInLinks(Optional<AuthenticateLinks> authenticate, ReturnUrls returnUrls, boolean anySignOutRedirect,
        Optional<URI> signOutRedirectUrl, Optional<String> gap) {

    SignInLinks {
        requireNonNull(authenticate, "authenticate");
        requireNonNull(returnUrls, "returnUrls");
        requireNonNull(signOutRedirectUrl, "signOutRedirectUrl");
        requireNonNull(gap, "gap");
    }

    /** The sign-in URL that returns to {@code pathAndQuery} on {@code host}; empty when sign-in is not configured. */
    Optional<String> signInUrlFor(RequestHost host, String pathAndQuery) {
        return authenticate.flatMap(a -> returnUrls.onRouteHost(host, pathAndQuery).map(a::signInUrl));
    }

    /** The "sign in as someone else" link: sign out, then come back to {@code pathAndQuery}. */
    Optional<String> signInAgainUrl(RequestHost host, String pathAndQuery) {
        return returnUrls.onRouteHost(host, AuthenticateLinks.SIGN_OUT_PATH).flatMap(signOut -> returnUrls
                .onRouteHost(host, pathAndQuery).map(back -> {
                    QueryStringEncoder url = new QueryStringEncoder(signOut.toString());
                    url.addParam(AuthenticateLinks.REDIRECT_PARAMETER, back.toString());
                    return url.toString();
                }));
    }

    /** Where sign-out ends: the requested route URL when allowed, else {@code signout_redirect_url}. */
    Optional<String> signOutTarget(Optional<String> requested) {
        Optional<String> allowed = requested.flatMap(text -> anySignOutRedirect
                ? ReturnUrls.absolute(text) : returnUrls.routeUrl(text)).map(URI::toString);
        return allowed.or(() -> signOutRedirectUrl.map(URI::toString));
    }
}
