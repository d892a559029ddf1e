package dev.portcullis.proxy.signin;

import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.LogoutNotice;
import dev.portcullis.authn.idp.SignedInUser;
import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.SameSite;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionCookies;
import dev.portcullis.authn.signin.Handoff;
import dev.portcullis.authn.signin.LoginTickets;
import dev.portcullis.authn.signin.SignInAttempt;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.SignInProblemPage;
import dev.portcullis.proxy.pages.SignedOutPage;
import dev.portcullis.proxy.pages.UserPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import dev.portcullis.authn.NonBlockingRandom;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import dev.portcullis.proxy.log.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticate service, on the host of {@code authenticate_service_url}:
 * <ul>
 * <li>{@code /.pomerium/sign_in?pomerium_redirect_uri=URL} (or {@code ?pomerium_login=TICKET} for
 *     programmatic login): with a valid {@code _pomerium_authenticate} cookie, hands the session
 *     straight to the route host; otherwise starts the provider's sign-in (state, nonce, PKCE kept
 *     sealed in the {@code _pomerium_csrf} cookie);</li>
 * <li>the callback ({@code authenticate_callback_path}): checks {@code state} against that cookie,
 *     redeems the code off the event loop, sets the authenticate cookie and hands off;</li>
 * <li>{@code /.pomerium/sign_out}: revokes the session, clears the cookie, and continues at the
 *     provider's {@code end_session_endpoint} when it has one;</li>
 * <li>{@code /.pomerium/backchannel_logout} (POST, OpenID Connect Back-Channel Logout 1.0);</li>
 * <li>{@code /.pomerium/signed_out} and {@code /.pomerium/};</li>
 * <li>with {@code idp_provider: builtin}, the built-in provider's own pages below
 *     {@code /.pomerium/builtin/} ({@link BuiltinSignInEndpoints}).</li>
 * </ul>
 */
final class AuthenticateEndpoints {
    static final String SIGN_IN_PATH = "/.pomerium/sign_in";
    static final String SIGN_OUT_PATH = "/.pomerium/sign_out";
    static final String SIGNED_OUT_PATH = "/.pomerium/signed_out";
    static final String BACKCHANNEL_LOGOUT_PATH = "/.pomerium/backchannel_logout";
    static final String REDIRECT_PARAMETER = "pomerium_redirect_uri";
    /** The route page a signed-out person may sign in again on, carried from a route host's sign-out. */
    static final String SIGNED_OUT_FROM_PARAMETER = "signed_out_from";
    static final String LOGIN_TICKET_PARAMETER = "pomerium_login";
    static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(15);
    private static final int MAX_PROVIDER_ERROR_CHARS = 200;
    private static final Logger log = LoggerFactory.getLogger(AuthenticateEndpoints.class);

    private final SignInServices services;
    private final IdentityProvider provider;
    private final URI authenticateUrl;
    private final Optional<BuiltinSignInEndpoints> builtin;
    private final SecureRandom random = NonBlockingRandom.get();

    AuthenticateEndpoints(SignInServices services, IdentityProvider provider, URI authenticateUrl,
            Optional<BuiltinSignInEndpoints> builtin) {
        this.services = services;
        this.provider = provider;
        this.authenticateUrl = authenticateUrl;
        this.builtin = builtin;
    }

    CompletionStage<LocalAnswer> handle(EndpointRequest request) {
        String path = request.path();
        if (builtin.isPresent() && BuiltinSignInEndpoints.isOwnPath(path)) {
            return builtin.get().handle(request);
        }
        if (path.equals(SIGN_IN_PATH)) {
            return signIn(request);
        }
        if (path.equals(services.callbackPath())) {
            return callback(request);
        }
        if (path.equals(SIGN_OUT_PATH)) {
            return signOut(request);
        }
        if (path.equals(BACKCHANNEL_LOGOUT_PATH) && request.method().equals("POST")) {
            return backChannelLogout(request);
        }
        if (path.equals(SIGNED_OUT_PATH)) {
            return done(signedOutPage(request));
        }
        if (path.equals("/.pomerium/") || path.equals("/.pomerium") || path.equals("/")) {
            Optional<Session> session = authenticateSession(request);
            return done(session.<LocalAnswer>map(s -> LocalAnswer.page(alloc -> UserPage.render(alloc, s,
                            authenticateUrl.getRawAuthority(), request.accept())))
                    .orElseGet(() -> signedOutPage(request)));
        }
        return done(problem(request, ProxyFailure.NO_ROUTE, Optional.empty(), Optional.empty()));
    }

    /** The URL that signs in and then returns to {@code returnUrl}. */
    String signInUrl(URI returnUrl) {
        QueryStringEncoder url = new QueryStringEncoder(base() + SIGN_IN_PATH);
        url.addParam(REDIRECT_PARAMETER, returnUrl.toString());
        return url.toString();
    }

    /** The sign-in URL of programmatic login, carrying its sealed ticket. */
    String programmaticSignInUrl(String ticket) {
        QueryStringEncoder url = new QueryStringEncoder(base() + SIGN_IN_PATH);
        url.addParam(LOGIN_TICKET_PARAMETER, ticket);
        return url.toString();
    }

    /**
     * The authenticate host's sign-out, which then continues to {@code next}, or ends on the signed-out page
     * offering to sign in again at {@code from} (the route page the person signed out of).
     */
    String signOutUrl(Optional<String> next, Optional<URI> from) {
        QueryStringEncoder url = new QueryStringEncoder(base() + SIGN_OUT_PATH);
        next.ifPresent(n -> url.addParam(REDIRECT_PARAMETER, n));
        from.filter(f -> next.isEmpty()).ifPresent(f -> url.addParam(SIGNED_OUT_FROM_PARAMETER, f.toString()));
        return url.toString();
    }

    /** The signed-out page, with "Sign in again" when the request names a route page to come back to. */
    private LocalAnswer signedOutPage(EndpointRequest request) {
        Optional<String> again = request.parameter(SIGNED_OUT_FROM_PARAMETER)
                .flatMap(services.returnUrls()::routeUrl).map(this::signInUrl);
        return LocalAnswer.page(alloc -> SignedOutPage.render(alloc, request.requestId(), request.accept(), again));
    }

    private CompletionStage<LocalAnswer> signIn(EndpointRequest request) {
        Instant now = services.clock().instant();
        Optional<URI> returnUrl;
        Optional<URI> programmatic = Optional.empty();
        Optional<String> ticket = request.parameter(LOGIN_TICKET_PARAMETER);
        if (ticket.isPresent()) {
            Optional<LoginTickets.Ticket> opened = services.tickets().open(ticket.get(), now);
            returnUrl = opened.flatMap(t -> services.returnUrls().routeUrl(t.returnUrl().toString()));
            programmatic = opened.map(LoginTickets.Ticket::clientRedirect).filter(services.returnUrls()::programmaticTarget);
            if (programmatic.isEmpty()) {
                returnUrl = Optional.empty();
            }
            if (returnUrl.isEmpty()) {
                return done(SignInServices.badRequest(request, "the programmatic login ticket " + LOGIN_TICKET_PARAMETER
                        + " is not valid: expired, altered, or for a redirect this proxy does not allow"));
            }
        } else {
            Optional<String> requested = request.parameter(REDIRECT_PARAMETER);
            if (requested.isEmpty()) {
                return done(SignInServices.badRequest(request, "the query parameter " + REDIRECT_PARAMETER
                        + " (where to go after signing in) is missing"));
            }
            returnUrl = services.returnUrls().routeUrl(requested.get());
            if (returnUrl.isEmpty()) {
                return done(SignInServices.badRequest(request, "the query parameter " + REDIRECT_PARAMETER
                        + " is not the address of a route of this proxy"));
            }
        }
        Optional<Session> session = authenticateSession(request);
        if (session.isPresent()) {
            return done(handOff(session.get(), returnUrl.get(), programmatic, List.of(), now));
        }
        URI callback = URI.create(base() + services.callbackPath());
        AuthorizationRequest authorization = AuthorizationRequest.start(callback, random);
        SignInAttempt attempt = new SignInAttempt(authorization.state(), authorization.nonce(),
                authorization.codeVerifier(), returnUrl.get(), programmatic, now.plus(ATTEMPT_LIFETIME));
        List<String> cookies = SessionCookies.setCookieHeaders(services.attempts().seal(attempt),
                csrfCookie(services.cookies()), now);
        String retry = ticket.isPresent() ? programmaticSignInUrl(ticket.get()) : signInUrl(returnUrl.get());
        return call(() -> provider.authorizationUrl(authorization))
                .thenApply(url -> (LocalAnswer) new LocalAnswer.Redirect(url.toString(), cookies))
                .exceptionally(failure -> providerFailure(request, failure, retry));
    }

    private CompletionStage<LocalAnswer> callback(EndpointRequest request) {
        Instant now = services.clock().instant();
        Optional<SignInAttempt> attempt = SessionCookies.read(request.cookies(),
                        csrfCookie(services.cookies()))
                .flatMap(value -> services.attempts().open(value, now));
        List<String> clearAttempt = SessionCookies.clearCookieHeaders(
                request.credentials().cookieHeader(), csrfCookie(services.cookies()));
        Optional<String> state = request.parameter("state");
        if (attempt.isEmpty() || state.isEmpty() || !constantTimeEquals(state.get(), attempt.get().state())) {
            Optional<String> retry = attempt.map(a -> signInUrl(a.returnUrl()));
            return done(problem(request, ProxyFailure.SIGN_IN_EXPIRED, Optional.empty(), retry));
        }
        SignInAttempt started = attempt.get();
        String retry = signInUrl(started.returnUrl());
        Optional<String> error = request.parameter("error");
        if (error.isPresent()) {
            String description = request.parameter("error_description").map(d -> ": " + d).orElse("");
            String shown = truncate(error.get() + description);
            log.info("sign-in refused by the identity provider: {}", shown);
            return done(withCookies(problem(request, ProxyFailure.SIGN_IN_REFUSED, Optional.of(shown), Optional.of(retry)),
                    clearAttempt));
        }
        Optional<String> code = request.parameter("code").filter(c -> !c.isBlank());
        if (code.isEmpty()) {
            return done(withCookies(SignInServices.badRequest(request,
                    "the identity provider's answer carries no authorization code (the query parameter code is "
                            + "missing or empty)"), clearAttempt));
        }
        AuthorizationRequest authorization = new AuthorizationRequest(URI.create(base() + services.callbackPath()),
                started.state(), started.nonce(), started.codeVerifier());
        return call(() -> provider.redeem(code.get(), authorization))
                .thenApply(user -> {
                    Instant signedInAt = services.clock().instant();
                    Session session = newSession(user, signedInAt);
                    services.events().signedIn();
                    AuditLog.signIn(session.userId(), session.email(), provider.name(),
                            ReturnUrls.authority(started.returnUrl()));
                    List<String> cookies = new ArrayList<>(clearAttempt);
                    cookies.addAll(SessionCookies.setCookieHeaders(
                            services.sealer().seal(session, Purpose.AUTHENTICATE_SESSION), authenticateCookie(), signedInAt));
                    return handOff(session, started.returnUrl(), started.programmaticRedirect(), cookies, signedInAt);
                })
                .exceptionally(failure -> withCookies(providerFailure(request, failure, retry), clearAttempt));
    }

    private CompletionStage<LocalAnswer> signOut(EndpointRequest request) {
        Instant now = services.clock().instant();
        // Read even when already revoked: a route host's sign-out revokes the same session id first.
        Optional<Session> session = SessionCookies.read(request.cookies(), authenticateCookie())
                .flatMap(value -> services.sealer().unseal(value, Purpose.AUTHENTICATE_SESSION, now));
        session.ifPresent(s -> {
            services.revocations().revoke(s.sessionId(), s.expiresAt());
            services.events().signedOut();
            AuditLog.signOut(s.userId(), s.email());
        });
        List<String> cookies = SessionCookies.clearCookieHeaders(
                request.credentials().cookieHeader(), authenticateCookie());
        Optional<String> target = services.signOutTarget(request.parameter(REDIRECT_PARAMETER));
        String next = target.orElse(base() + SIGNED_OUT_PATH);
        // Back from the proxy itself the signed-out page may say where to sign in again; an identity
        // provider's end-session must come back to exactly the address registered with it, with no query.
        String nextHere = target.isPresent() ? next : signedOutPageUrl(request);
        Optional<String> idToken = session.flatMap(Session::idToken);
        if (idToken.isEmpty()) {
            return done(new LocalAnswer.Redirect(nextHere, cookies));
        }
        return call(() -> provider.endSessionUrl(idToken, URI.create(next)))
                .thenApply(url -> (LocalAnswer) new LocalAnswer.Redirect(url.map(URI::toString).orElse(nextHere), cookies))
                .exceptionally(failure -> {
                    log.warn("sign-out: the identity provider's end-session address is unknown ({}); signed out here only",
                            describe(failure));
                    return new LocalAnswer.Redirect(nextHere, cookies);
                });
    }

    private String signedOutPageUrl(EndpointRequest request) {
        QueryStringEncoder url = new QueryStringEncoder(base() + SIGNED_OUT_PATH);
        request.parameter(SIGNED_OUT_FROM_PARAMETER).flatMap(services.returnUrls()::routeUrl)
                .ifPresent(from -> url.addParam(SIGNED_OUT_FROM_PARAMETER, from.toString()));
        return url.toString();
    }

    private CompletionStage<LocalAnswer> backChannelLogout(EndpointRequest request) {
        Optional<String> token = request.formField("logout_token");
        if (token.isEmpty()) {
            return done(backChannelAnswer(HttpResponseStatus.BAD_REQUEST, "invalid_request"));
        }
        return call(() -> provider.verifyLogoutToken(token.get()))
                .thenApply(notice -> {
                    revoke(notice);
                    return backChannelAnswer(HttpResponseStatus.OK, null);
                })
                .exceptionally(failure -> {
                    log.warn("back-channel logout refused: {}", describe(failure));
                    return backChannelAnswer(HttpResponseStatus.BAD_REQUEST, "invalid_request");
                });
    }

    private void revoke(LogoutNotice notice) {
        Instant now = services.clock().instant();
        Instant until = now.plus(services.cookies().expire());
        notice.subject().ifPresent(sub -> services.revocations().revokeUser(sub, now.plusSeconds(1), until));
        notice.providerSessionId().ifPresent(sid -> services.revocations().revokeProviderSession(sid, until));
        AuditLog.backchannelLogout(notice.subject(), notice.providerSessionId());
    }

    private LocalAnswer handOff(Session session, URI returnUrl, Optional<URI> programmatic, List<String> cookies,
            Instant now) {
        String host = ReturnUrls.authority(returnUrl);
        String sealed = services.sessions().token(session);
        String token = services.handoffs().issue(new Handoff(host, sealed, returnUrl, programmatic), now);
        QueryStringEncoder url = new QueryStringEncoder(returnUrl.getScheme() + "://" + host + RouteEndpoints.CALLBACK_PATH);
        url.addParam(RouteEndpoints.HANDOFF_PARAMETER, token);
        return new LocalAnswer.Redirect(url.toString(), cookies);
    }

    private Session newSession(SignedInUser user, Instant now) {
        return new Session(Session.newSessionId(random), user.userId(), user.email(), user.name(), user.groups(),
                user.claims(), now, now.plus(services.cookies().expire()), user.idToken(), user.refreshToken(),
                RefreshSchedule.dueAt(now, user.tokensExpireAt(), user.refreshToken()), user.providerSessionId());
    }

    private Optional<Session> authenticateSession(EndpointRequest request) {
        Instant now = services.clock().instant();
        return SessionCookies.read(request.cookies(), authenticateCookie())
                .flatMap(value -> services.sealer().unseal(value, Purpose.AUTHENTICATE_SESSION, now))
                .filter(session -> !services.revocations().isRevoked(session, now));
    }

    /** The authenticate host's own cookie: host-only, whatever {@code cookie_domain} says for routes. */
    private CookieSettings authenticateCookie() {
        CookieSettings routes = services.cookies();
        return new CookieSettings(routes.authenticateCookieName(), Optional.empty(), routes.secure(), true,
                routes.sameSite() == SameSite.STRICT ? SameSite.LAX : routes.sameSite(), routes.expire());
    }

    /**
     * The sign-in attempt's cookie. SameSite=Lax at most: the provider's answer is a cross-site
     * top-level navigation, which a Strict cookie would not accompany.
     */
    static CookieSettings csrfCookie(CookieSettings routes) {
        return new CookieSettings(routes.csrfCookieName(), Optional.empty(), routes.secure(), true,
                routes.sameSite() == SameSite.STRICT ? SameSite.LAX : routes.sameSite(), ATTEMPT_LIFETIME);
    }

    private LocalAnswer providerFailure(EndpointRequest request, Throwable failure, String retry) {
        Throwable cause = unwrap(failure);
        if (cause instanceof IdentityProviderException e && e.kind() == IdentityProviderException.Kind.REJECTED) {
            log.info("sign-in refused: {}", e.getMessage());
            return problem(request, ProxyFailure.SIGN_IN_REFUSED, Optional.of(truncate(e.getMessage())), Optional.of(retry));
        }
        log.warn("sign-in failed: the identity provider{} could not be used: {}",
                services.identityProviderHost().map(h -> " at " + h).orElse(""), describe(failure));
        return LocalAnswer.page(alloc -> SignInProblemPage.providerUnreachable(alloc, request.requestId(),
                request.accept(), services.identityProviderHost(), retry));
    }

    private static LocalAnswer problem(EndpointRequest request, ProxyFailure failure, Optional<String> detail,
            Optional<String> retry) {
        return LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc, failure, request.requestId(), request.accept(),
                detail, retry));
    }

    private static LocalAnswer withCookies(LocalAnswer answer, List<String> cookies) {
        List<String> all = new ArrayList<>(answer.setCookies());
        all.addAll(cookies);
        if (answer instanceof LocalAnswer.Redirect redirect) {
            return new LocalAnswer.Redirect(redirect.location(), all);
        }
        return new LocalAnswer.Page(((LocalAnswer.Page) answer).render(), all);
    }

    private static LocalAnswer backChannelAnswer(HttpResponseStatus status, String error) {
        return LocalAnswer.body(status, "application/json", error == null ? "" : "{\"error\":\"" + error + "\"}", "no-store");
    }

    private String base() {
        return authenticateUrl.getScheme() + "://" + authenticateUrl.getRawAuthority();
    }

    /** Runs a provider call; a call that throws instead of failing its stage fails the stage. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> providerCall) {
        try {
            return providerCall.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletionStage<LocalAnswer> done(LocalAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String text) {
        String single = text.replaceAll("[\\p{Cntrl}]", " ");
        return single.length() <= MAX_PROVIDER_ERROR_CHARS ? single : single.substring(0, MAX_PROVIDER_ERROR_CHARS) + "…";
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
