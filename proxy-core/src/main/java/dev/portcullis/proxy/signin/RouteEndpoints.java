package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.assertion.AssertionUserInfo;
import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionCookies;
import dev.portcullis.authn.signin.Handoff;
import dev.portcullis.authn.signin.Handoffs;
import dev.portcullis.authn.signin.LoginTickets;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.ErrorPage;
import dev.portcullis.proxy.pages.RoutesPortalPage;
import dev.portcullis.proxy.pages.SignInProblemPage;
import dev.portcullis.proxy.pages.SignedOutPage;
import dev.portcullis.proxy.pages.UnauthenticatedAnswer;
import dev.portcullis.proxy.pages.PasskeysSection;
import dev.portcullis.proxy.pages.UserPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own paths under {@code /.pomerium/} on every route host: the sign-in hand-off
 * ({@code /.pomerium/callback/}), the user page and Pomerium's user info ({@code /.pomerium/user}), the
 * routes portal ({@code /.pomerium/routes}, {@code /.pomerium/api/v1/routes}; unless
 * {@code runtime_flags.routes_portal} is off), the assertion (when the runtime flag allows it), sign-out and
 * programmatic login. A hand-off, a sign-out or a page that needs the
 * revocation store fails with {@link StoreUnavailable} when the store cannot answer.
 */
final class RouteEndpoints {
    static final String PREFIX = "/.pomerium/";
    static final String PROGRAMMATIC_TOKEN_PARAMETER = "pomerium_jwt";
    static final String ROUTES_PORTAL_PATH = "/.pomerium/routes";
    static final String ROUTES_API_PATH = "/.pomerium/api/v1/routes";
    private static final Logger log = LoggerFactory.getLogger(RouteEndpoints.class);

    private final Handoffs handoffs;
    private final LoginTickets tickets;
    private final CookieSettings cookies;
    private final CurrentSessions sessions;
    private final IdentityHeaders identityHeaders;
    private final SignInLinks links;
    private final SignInRuntime runtime;
    private final boolean jwtEndpoint;
    private final boolean routesPortal;
    private final Optional<PasskeysSection> passkeys;

    /**
     * @param handoffs        redeems the hand-offs of the authenticate host
     * @param tickets         issues programmatic login tickets
     * @param cookies         the route session cookie's settings
     * @param sessions        reads the session a request carries
     * @param identityHeaders signs the assertion of {@code /.pomerium/jwt}
     * @param links           where sign-in and sign-out go
     * @param runtime         the clock and the revocations
     * @param jwtEndpoint     whether {@code /.pomerium/jwt} answers (the runtime flag)
     * @param routesPortal    whether the routes portal answers ({@code runtime_flags.routes_portal})
     * @param passkeys        with the built-in provider: the user page's link to the passkeys on the authenticate host
     */
    RouteEndpoints(Handoffs handoffs, LoginTickets tickets, CookieSettings cookies, CurrentSessions sessions,
            IdentityHeaders identityHeaders, SignInLinks links, SignInRuntime runtime, boolean jwtEndpoint,
            boolean routesPortal, Optional<PasskeysSection> passkeys) {
        this.handoffs = requireNonNull(handoffs, "handoffs");
        this.tickets = requireNonNull(tickets, "tickets");
        this.cookies = requireNonNull(cookies, "cookies");
        this.sessions = requireNonNull(sessions, "sessions");
        this.identityHeaders = requireNonNull(identityHeaders, "identityHeaders");
        this.links = requireNonNull(links, "links");
        this.runtime = requireNonNull(runtime, "runtime");
        this.jwtEndpoint = jwtEndpoint;
        this.routesPortal = routesPortal;
        this.passkeys = requireNonNull(passkeys, "passkeys");
    }

    CompletionStage<LocalAnswer> handle(EndpointRequest request) {
        String path = request.path();
        return switch (path) {
            case HandOffRedirects.CALLBACK_PATH, "/.pomerium/callback" -> callback(request);
            case PREFIX, "/.pomerium" -> withSession(request, session -> userPage(request, session),
                    () -> signInFirst(request, PREFIX));
            case "/.pomerium/user" -> withSession(request, session -> userInfo(request, session),
                    () -> unauthenticated(request, "/.pomerium/user"));
            case ROUTES_PORTAL_PATH -> routesPortal ? portal(request, false) : done(notFound(request));
            case ROUTES_API_PATH -> routesPortal ? portal(request, true) : done(notFound(request));
            case "/.pomerium/jwt" -> jwtEndpoint ? withSession(request, session -> assertion(request, session),
                    () -> unauthenticated(request, "/.pomerium/jwt"))
                    : done(notFound(request));
            case AuthenticateLinks.SIGN_OUT_PATH -> signOut(request);
            case "/.pomerium/api/v1/login" -> done(programmaticLogin(request));
            default -> done(notFound(request));
        };
    }

    private CompletionStage<LocalAnswer> callback(EndpointRequest request) {
        Instant now = runtime.clock().instant();
        Optional<String> token = request.parameter(HandOffRedirects.HANDOFF_PARAMETER);
        CompletionStage<Optional<Handoff>> redeemed = token.isEmpty()
                ? CompletableFuture.completedFuture(Optional.empty())
                : StoreUnavailable.asking(() -> handoffs.redeem(token.get(), request.host().name(), now));
        return redeemed.thenApply(handoff -> handedOff(request, handoff, now));
    }

    private LocalAnswer handedOff(EndpointRequest request, Optional<Handoff> handoff, Instant now) {
        // the same host by name: the cookie set here is the browser's for the return URL's port too
        Optional<URI> returnUrl = handoff.map(Handoff::returnUrl).filter(url -> links.returnUrls().routeUrl(url.toString())
                .map(ReturnUrls::hostOf).filter(host -> host.sameCookieHost(request.host())).isPresent());
        if (handoff.isEmpty() || returnUrl.isEmpty()) {
            log.info("sign-in hand-off refused on {}: replayed, expired, tampered or for another host",
                    request.host().authority());
            return problem(request, ProxyFailure.HANDOFF_REFUSED, links.signInUrlFor(request.host(), "/"));
        }
        if (handoff.get().programmaticRedirect().isPresent()) {
            URI client = handoff.get().programmaticRedirect().get();
            if (!links.returnUrls().programmaticTarget(client)) {
                return problem(request, ProxyFailure.HANDOFF_REFUSED, Optional.empty());
            }
            QueryStringEncoder target = new QueryStringEncoder(client.toString());
            target.addParam(PROGRAMMATIC_TOKEN_PARAMETER, handoff.get().sealedRouteSession());
            return LocalAnswer.redirect(target.toString());
        }
        return new LocalAnswer.Redirect(returnUrl.get().toString(),
                SessionCookies.setCookieHeaders(handoff.get().sealedRouteSession(), cookies, now));
    }

    /** {@code page} of the request's session, or {@code stranger} when it carries none. */
    private CompletionStage<LocalAnswer> withSession(EndpointRequest request, Function<Session, LocalAnswer> page,
            Supplier<LocalAnswer> stranger) {
        // as for the route's own requests: a session of another OAuth client than the route's is none here
        return sessions.peek(request.credentials(), links.returnUrls().routeFor(request.host(), request.path()))
                .thenApply(session -> session.map(page).orElseGet(stranger));
    }

    private LocalAnswer userPage(EndpointRequest request, Session session) {
        Instant now = runtime.clock().instant();
        String backTo = BackLink.onHost(request.referer(), request.host()).orElse("/");
        Optional<String> portal = routesPortal ? Optional.of(ROUTES_PORTAL_PATH) : Optional.empty();
        return LocalAnswer.page(alloc -> UserPage.render(alloc, session, request.host().authority(), backTo, request.accept(),
                now, portal, passkeys));
    }

    /** Pomerium's {@code /.pomerium/user}: the claims of this route's assertion for the session, as JSON. */
    private LocalAnswer userInfo(EndpointRequest request, Session session) {
        Map<String, Object> info = AssertionUserInfo.of(identityHeaders.assertion(session, request.host().name()));
        return LocalAnswer.page(alloc -> UserPage.userInfo(alloc, info));
    }

    /**
     * The routes portal for the request's person: the page (or, at the API path, always JSON). A stranger
     * sees no route: a browser is sent to sign in first, a script gets {@code 401}.
     */
    private CompletionStage<LocalAnswer> portal(EndpointRequest request, boolean api) {
        return sessions.peek(request.credentials()).thenCompose(session -> {
            if (session.isEmpty()) {
                return done(api ? unauthenticated(request, ROUTES_API_PATH) : signInFirst(request, ROUTES_PORTAL_PATH));
            }
            return request.openableRoutes().forSession(session.get()).thenApply(routes -> LocalAnswer.page(api
                    ? alloc -> RoutesPortalPage.json(alloc, routes)
                    : alloc -> RoutesPortalPage.render(alloc, session.get(), routes, request.accept())));
        });
    }

    private LocalAnswer assertion(EndpointRequest request, Session session) {
        String jwt = identityHeaders.assertion(session, request.host().name());
        return LocalAnswer.body(HttpResponseStatus.OK, "application/jwt", jwt, "no-store");
    }

    /** Revokes the session, then clears the cookie: a sign-out that could not be recorded fails. */
    private CompletionStage<LocalAnswer> signOut(EndpointRequest request) {
        return sessions.peek(request.credentials()).thenCompose(session -> session
                .map(s -> StoreUnavailable.asking(() -> runtime.revocations().revoke(s.sessionId(), s.expiresAt())))
                .orElse(CompletableFuture.completedFuture(null)))
                .thenApply(revoked -> signedOut(request));
    }

    private LocalAnswer signedOut(EndpointRequest request) {
        List<String> cleared = SessionCookies.clearCookieHeaders(request.credentials().cookieHeader(), cookies);
        Optional<String> next = links.signOutTarget(request.parameter(AuthenticateLinks.REDIRECT_PARAMETER));
        Optional<AuthenticateLinks> authenticate = links.authenticate();
        if (authenticate.isPresent()) {
            return new LocalAnswer.Redirect(authenticate.get().signOutUrl(next,
                    links.returnUrls().onRouteHost(request.host(), "/")), cleared);
        }
        if (next.isPresent()) {
            return new LocalAnswer.Redirect(next.get(), cleared);
        }
        return new LocalAnswer.Page(alloc -> SignedOutPage.render(alloc, request.requestId(), request.accept(),
                Optional.of("/")), cleared);
    }

    private LocalAnswer programmaticLogin(EndpointRequest request) {
        Optional<URI> client = request.parameter(AuthenticateLinks.REDIRECT_PARAMETER)
                .flatMap(ReturnUrls::absolute)
                .filter(links.returnUrls()::programmaticTarget);
        Optional<AuthenticateLinks> authenticate = links.authenticate();
        Optional<URI> routeUrl = links.returnUrls().onRouteHost(request.host(), "/");
        if (authenticate.isEmpty() || routeUrl.isEmpty()) {
            return signInUnavailable(request);
        }
        if (client.isEmpty()) {
            return SignInServices.badRequest(request, "the query parameter " + AuthenticateLinks.REDIRECT_PARAMETER
                    + " is missing, or is not an absolute URL on a domain programmatic_redirect_domain_whitelist allows");
        }
        String ticket = tickets.issue(routeUrl.get(), client.get(), runtime.clock().instant());
        String url = authenticate.get().programmaticSignInUrl(ticket);
        return LocalAnswer.body(HttpResponseStatus.OK, "text/plain; charset=utf-8", url, "no-store");
    }

    /** A stranger on one of the proxy's pages: browsers go to sign in, API clients get 401. */
    private LocalAnswer signInFirst(EndpointRequest request, String path) {
        Optional<String> signIn = links.signInUrlFor(request.host(), path);
        if (signIn.isEmpty()) {
            return signInUnavailable(request);
        }
        if (request.isBrowser()) {
            return LocalAnswer.redirect(signIn.get());
        }
        return LocalAnswer.page(alloc -> UnauthenticatedAnswer.render(alloc, request.requestId(), signIn.get()));
    }

    private LocalAnswer unauthenticated(EndpointRequest request, String path) {
        Optional<String> signIn = links.signInUrlFor(request.host(), path);
        if (signIn.isEmpty()) {
            return signInUnavailable(request);
        }
        return LocalAnswer.page(alloc -> UnauthenticatedAnswer.render(alloc, request.requestId(), signIn.get()));
    }

    /** 403: sign-in is not configured, and what is missing. */
    private LocalAnswer signInUnavailable(EndpointRequest request) {
        return LocalAnswer.page(alloc -> ErrorPage.render(alloc, ProxyFailure.SIGN_IN_UNAVAILABLE, request.requestId(),
                request.accept(), List.of(), links.gap()));
    }

    private static LocalAnswer notFound(EndpointRequest request) {
        return problem(request, ProxyFailure.NO_ROUTE, Optional.empty());
    }

    private static LocalAnswer problem(EndpointRequest request, ProxyFailure failure, Optional<String> retry) {
        return LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc, failure, request.requestId(), request.accept(),
                Optional.empty(), retry));
    }

    private static CompletionStage<LocalAnswer> done(LocalAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
