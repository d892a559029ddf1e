package dev.portcullis.proxy.signin;

import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionCookies;
import dev.portcullis.authn.signin.Handoff;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.SignInProblemPage;
import dev.portcullis.proxy.pages.SignedOutPage;
import dev.portcullis.proxy.pages.UnauthenticatedAnswer;
import dev.portcullis.proxy.pages.UserPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own paths under {@code /.pomerium/} on every route host: the sign-in hand-off
 * ({@code /.pomerium/callback/}), the user page and claims, the assertion (when the runtime flag
 * allows it), sign-out and programmatic login.
 */
final class RouteEndpoints {
    static final String PREFIX = "/.pomerium/";
    static final String CALLBACK_PATH = "/.pomerium/callback/";
    static final String HANDOFF_PARAMETER = "pomerium_handoff";
    static final String PROGRAMMATIC_TOKEN_PARAMETER = "pomerium_jwt";
    private static final Logger log = LoggerFactory.getLogger(RouteEndpoints.class);

    private final SignInServices services;

    RouteEndpoints(SignInServices services) {
        this.services = services;
    }

    CompletionStage<LocalAnswer> handle(EndpointRequest request) {
        String path = request.path();
        LocalAnswer answer = switch (path) {
            case CALLBACK_PATH, "/.pomerium/callback" -> callback(request);
            case PREFIX, "/.pomerium" -> userPage(request);
            case "/.pomerium/user" -> claims(request);
            case "/.pomerium/jwt" -> assertion(request);
            case AuthenticateEndpoints.SIGN_OUT_PATH -> signOut(request);
            case "/.pomerium/api/v1/login" -> programmaticLogin(request);
            default -> problem(request, ProxyFailure.NO_ROUTE, Optional.empty());
        };
        return CompletableFuture.completedFuture(answer);
    }

    private LocalAnswer callback(EndpointRequest request) {
        Instant now = services.clock().instant();
        Optional<Handoff> handoff = request.parameter(HANDOFF_PARAMETER)
                .flatMap(token -> services.handoffs().redeem(token, request.host().authority(), now));
        Optional<URI> returnUrl = handoff.map(Handoff::returnUrl)
                .filter(url -> ReturnUrls.authority(url).equals(request.host().authority()));
        if (handoff.isEmpty() || returnUrl.isEmpty()) {
            log.info("sign-in hand-off refused on {}: replayed, expired, tampered or for another host",
                    request.host().authority());
            return problem(request, ProxyFailure.HANDOFF_REFUSED, services.signInUrlFor(request.host(), "/"));
        }
        if (handoff.get().programmaticRedirect().isPresent()) {
            URI client = handoff.get().programmaticRedirect().get();
            if (!services.returnUrls().programmaticTarget(client)) {
                return problem(request, ProxyFailure.HANDOFF_REFUSED, Optional.empty());
            }
            QueryStringEncoder target = new QueryStringEncoder(client.toString());
            target.addParam(PROGRAMMATIC_TOKEN_PARAMETER, handoff.get().sealedRouteSession());
            return LocalAnswer.redirect(target.toString());
        }
        return new LocalAnswer.Redirect(returnUrl.get().toString(),
                SessionCookies.setCookieHeaders(handoff.get().sealedRouteSession(), services.cookies(), now));
    }

    private LocalAnswer userPage(EndpointRequest request) {
        Optional<Session> session = services.sessions().peek(request.credentials());
        if (session.isEmpty()) {
            return signInFirst(request, "/.pomerium/");
        }
        return LocalAnswer.page(alloc -> UserPage.render(alloc, session.get(), request.host().authority(), request.accept()));
    }

    private LocalAnswer claims(EndpointRequest request) {
        Optional<Session> session = services.sessions().peek(request.credentials());
        if (session.isEmpty()) {
            return unauthenticated(request, "/.pomerium/user");
        }
        return LocalAnswer.page(alloc -> UserPage.claims(alloc, session.get()));
    }

    private LocalAnswer assertion(EndpointRequest request) {
        if (!services.jwtEndpoint()) {
            return problem(request, ProxyFailure.NO_ROUTE, Optional.empty());
        }
        Optional<Session> session = services.sessions().peek(request.credentials());
        if (session.isEmpty()) {
            return unauthenticated(request, "/.pomerium/jwt");
        }
        String jwt = services.identityHeaders().assertion(session.get(), request.host().authority());
        return LocalAnswer.body(HttpResponseStatus.OK, "application/jwt", jwt, "no-store");
    }

    private LocalAnswer signOut(EndpointRequest request) {
        Optional<Session> session = services.sessions().peek(request.credentials());
        session.ifPresent(s -> services.revocations().revoke(s.sessionId(), s.expiresAt()));
        List<String> cleared = SessionCookies.clearCookieHeaders(
                request.credentials().cookieHeader(), services.cookies());
        Optional<String> next = services.signOutTarget(request.parameter(AuthenticateEndpoints.REDIRECT_PARAMETER));
        Optional<AuthenticateEndpoints> authenticate = services.authenticate();
        if (authenticate.isPresent()) {
            return new LocalAnswer.Redirect(authenticate.get().signOutUrl(next,
                    services.returnUrls().onRouteHost(request.host(), "/")), cleared);
        }
        if (next.isPresent()) {
            return new LocalAnswer.Redirect(next.get(), cleared);
        }
        return new LocalAnswer.Page(alloc -> SignedOutPage.render(alloc, request.requestId(), request.accept(),
                Optional.of("/")), cleared);
    }

    private LocalAnswer programmaticLogin(EndpointRequest request) {
        Optional<URI> client = request.parameter(AuthenticateEndpoints.REDIRECT_PARAMETER)
                .flatMap(ReturnUrls::absolute)
                .filter(services.returnUrls()::programmaticTarget);
        Optional<AuthenticateEndpoints> authenticate = services.authenticate();
        Optional<URI> routeUrl = services.returnUrls().onRouteHost(request.host(), "/");
        if (authenticate.isEmpty() || routeUrl.isEmpty()) {
            return problem(request, ProxyFailure.SIGN_IN_UNAVAILABLE, Optional.empty());
        }
        if (client.isEmpty()) {
            return SignInServices.badRequest(request, "the query parameter " + AuthenticateEndpoints.REDIRECT_PARAMETER
                    + " is missing, or is not an absolute URL on a domain programmatic_redirect_domain_whitelist allows");
        }
        String ticket = services.tickets().issue(routeUrl.get(), client.get(), services.clock().instant());
        String url = authenticate.get().programmaticSignInUrl(ticket);
        return LocalAnswer.body(HttpResponseStatus.OK, "text/plain; charset=utf-8", url, "no-store");
    }

    /** A stranger on one of the proxy's pages: browsers go to sign in, API clients get 401. */
    private LocalAnswer signInFirst(EndpointRequest request, String path) {
        Optional<String> signIn = services.signInUrlFor(request.host(), path);
        if (signIn.isEmpty()) {
            return problem(request, ProxyFailure.SIGN_IN_UNAVAILABLE, Optional.empty());
        }
        if (request.isBrowser()) {
            return LocalAnswer.redirect(signIn.get());
        }
        return LocalAnswer.page(alloc -> UnauthenticatedAnswer.render(alloc, request.requestId(), signIn.get()));
    }

    private LocalAnswer unauthenticated(EndpointRequest request, String path) {
        Optional<String> signIn = services.signInUrlFor(request.host(), path);
        if (signIn.isEmpty()) {
            return problem(request, ProxyFailure.SIGN_IN_UNAVAILABLE, Optional.empty());
        }
        return LocalAnswer.page(alloc -> UnauthenticatedAnswer.render(alloc, request.requestId(), signIn.get()));
    }

    private static LocalAnswer problem(EndpointRequest request, ProxyFailure failure, Optional<String> retry) {
        return LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc, failure, request.requestId(), request.accept(),
                Optional.empty(), retry));
    }
}
