package dev.portcullis.proxy.signin;

import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.LogoutNotice;
import dev.portcullis.authn.idp.SignedInUser;
import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.SameSite;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionCookies;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.signin.LoginTickets;
import dev.portcullis.authn.signin.SignInAttempt;
import dev.portcullis.authn.signin.SignInAttempts;
import dev.portcullis.proxy.digest.Sha256;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.PasskeysSection;
import dev.portcullis.proxy.pages.RobotsTxt;
import dev.portcullis.proxy.pages.SignInProblemPage;
import dev.portcullis.proxy.pages.SignedOutPage;
import dev.portcullis.proxy.pages.UserPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import dev.portcullis.authn.NonBlockingRandom;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
 * <li>{@code /.pomerium/signed_out} and {@code /.pomerium/}; {@code /} redirects ({@code 302}) to
 *     {@code /.pomerium/}, and {@code /robots.txt} disallows everything, as in Pomerium;</li>
 * <li>with {@code idp_provider: builtin}, the built-in provider's own pages below
 *     {@code /.pomerium/builtin/}: sign-in ({@link BuiltinSignInEndpoints}), the signed-in user's passkeys
 *     ({@link PasskeyManagementEndpoints}, also shown on {@code /.pomerium/}) and invitations
 *     ({@link InvitationEndpoints}).</li>
 * </ul>
 */
final class AuthenticateEndpoints {
    static final String BACKCHANNEL_LOGOUT_PATH = "/.pomerium/backchannel_logout";
    static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(15);
    /** How a sign-in attempt (by its state) and a programmatic login ticket (by its digest) are named in the used-once store. */
    private static final String ATTEMPT_STEP = "attempt:";
    private static final String TICKET_STEP = "ticket:";
    private static final int MAX_PROVIDER_ERROR_CHARS = 200;
    private static final Logger log = LoggerFactory.getLogger(AuthenticateEndpoints.class);

    /** What a provider's end-session passes back to the signed-out page: the route page to sign in again on. */
    private static final String END_SESSION_STATE_PARAMETER = "state";

    /** The provider's OAuth clients: the top-level one and routes' own, each route signing in through its own. */
    private final ProviderStack clients;
    /** The provider's host the proxy calls ({@code accounts.google.com}), named when it cannot be reached. */
    private final Optional<String> providerHost;
    private final AuthenticateLinks links;
    private final SignInLinks signInLinks;
    private final CookieSettings cookies;
    private final SessionSealer sealer;
    private final SignInAttempts attempts;
    private final LoginTickets tickets;
    private final HandOffRedirects handOffs;
    private final UpstreamTokens tokens;
    private final SignInRuntime runtime;
    private final Optional<BuiltinSignInEndpoints> builtin;
    private final Optional<PasskeyManagementEndpoints> passkeys;
    private final Optional<InvitationEndpoints> invitations;
    private final SecureRandom random = NonBlockingRandom.get();

    /**
     * @param clients     the identity provider's OAuth clients sign-in goes to: the one of the route signed in to
     * @param links       the authenticate service's own addresses
     * @param signInLinks where sign-in may return and sign-out may end
     * @param cookies     the route session cookie's settings, from which the authenticate host's own derive
     * @param sealer      seals the authenticate host's session cookie
     * @param attempts    seals the sign-in attempt cookie
     * @param tickets     opens programmatic login tickets
     * @param handOffs    hands a session to a route host
     * @param tokens      the provider tokens the authenticate host's session keeps
     * @param runtime     the clock, the revocations and where sign-in events go
     * @param builtin     with {@code idp_provider: builtin}: its sign-in pages
     * @param passkeys    with {@code idp_provider: builtin}: the signed-in user's passkeys
     * @param invitations with {@code idp_provider: builtin}: where invitations are redeemed
     */
    AuthenticateEndpoints(ProviderStack clients, Optional<String> providerHost, AuthenticateLinks links, SignInLinks signInLinks,
            CookieSettings cookies, SessionSealer sealer, SignInAttempts attempts, LoginTickets tickets,
            HandOffRedirects handOffs, UpstreamTokens tokens, SignInRuntime runtime,
            Optional<BuiltinSignInEndpoints> builtin, Optional<PasskeyManagementEndpoints> passkeys,
            Optional<InvitationEndpoints> invitations) {
        this.clients = requireNonNull(clients, "clients");
        this.providerHost = requireNonNull(providerHost, "providerHost");
        this.links = requireNonNull(links, "links");
        this.signInLinks = requireNonNull(signInLinks, "signInLinks");
        this.cookies = requireNonNull(cookies, "cookies");
        this.sealer = requireNonNull(sealer, "sealer");
        this.attempts = requireNonNull(attempts, "attempts");
        this.tickets = requireNonNull(tickets, "tickets");
        this.handOffs = requireNonNull(handOffs, "handOffs");
        this.tokens = requireNonNull(tokens, "tokens");
        this.runtime = requireNonNull(runtime, "runtime");
        this.builtin = requireNonNull(builtin, "builtin");
        this.passkeys = requireNonNull(passkeys, "passkeys");
        this.invitations = requireNonNull(invitations, "invitations");
    }

    CompletionStage<LocalAnswer> handle(EndpointRequest request) {
        String path = request.path();
        if (passkeys.isPresent() && PasskeyManagementEndpoints.isOwnPath(path)) {
            return authenticateSession(request, runtime.clock().instant())
                    .thenCompose(session -> passkeys.get().handle(request, session));
        }
        if (invitations.isPresent() && InvitationEndpoints.isOwnPath(path)) {
            return invitations.get().handle(request);
        }
        if (builtin.isPresent() && BuiltinSignInEndpoints.isOwnPath(path)) {
            return builtin.get().handle(request);
        }
        if (path.equals(AuthenticateLinks.SIGN_IN_PATH)) {
            return signIn(request);
        }
        if (path.equals(links.callbackPath())) {
            return callback(request);
        }
        if (path.equals(AuthenticateLinks.SIGN_OUT_PATH)) {
            return signOut(request);
        }
        if (path.equals(BACKCHANNEL_LOGOUT_PATH) && request.method().equals("POST")) {
            return backChannelLogout(request);
        }
        if (path.equals(AuthenticateLinks.SIGNED_OUT_PATH)) {
            return done(signedOutPage(request));
        }
        if (path.equals("/")) {
            // as Pomerium's authenticate service: its root is the user page's address
            return done(LocalAnswer.redirect("/.pomerium/"));
        }
        if (path.equals(RobotsTxt.PATH)) {
            return done(LocalAnswer.body(HttpResponseStatus.OK, "text/plain; charset=utf-8", RobotsTxt.DISALLOW_ALL,
                    "no-store"));
        }
        if (path.equals("/.pomerium/") || path.equals("/.pomerium")) {
            Instant now = runtime.clock().instant();
            String backTo = BackLink.onHost(request.referer(), request.host()).orElse("/");
            return authenticateSession(request, now).thenCompose(session -> {
                if (session.isEmpty()) {
                    return done(signedOutPage(request));
                }
                CompletionStage<Optional<PasskeysSection>> section = passkeys.isEmpty()
                        ? CompletableFuture.completedFuture(Optional.empty())
                        : passkeys.get().section(request, session.get()).thenApply(Optional::of);
                return section.thenApply(shown -> LocalAnswer.page(alloc -> UserPage.render(alloc, session.get(),
                        links.authority(), backTo, request.accept(), now, Optional.empty(), shown)));
            });
        }
        return done(problem(request, ProxyFailure.NO_ROUTE, Optional.empty(), Optional.empty()));
    }

    /** The signed-out page, with "Sign in again" when the request names a route page to come back to. */
    private LocalAnswer signedOutPage(EndpointRequest request) {
        // signed_out_from from the proxy's own sign-out, state from a provider's end-session
        Optional<String> again = request.parameter(AuthenticateLinks.SIGNED_OUT_FROM_PARAMETER)
                .or(() -> request.parameter(END_SESSION_STATE_PARAMETER))
                .flatMap(signInLinks.returnUrls()::routeUrl).map(links::signInUrl);
        return LocalAnswer.page(alloc -> SignedOutPage.render(alloc, request.requestId(), request.accept(), again));
    }

    private CompletionStage<LocalAnswer> signIn(EndpointRequest request) {
        Instant now = runtime.clock().instant();
        Optional<String> ticket = request.parameter(AuthenticateLinks.LOGIN_TICKET_PARAMETER);
        if (ticket.isPresent()) {
            return programmaticSignIn(request, ticket.get(), now);
        }
        Optional<String> requested = request.parameter(AuthenticateLinks.REDIRECT_PARAMETER);
        if (requested.isEmpty()) {
            return done(SignInServices.badRequest(request, "the query parameter " + AuthenticateLinks.REDIRECT_PARAMETER
                    + " (where to go after signing in) is missing"));
        }
        Optional<URI> returnUrl = signInLinks.returnUrls().routeUrl(requested.get());
        if (returnUrl.isEmpty()) {
            return done(SignInServices.badRequest(request, "the query parameter " + AuthenticateLinks.REDIRECT_PARAMETER
                    + " is not the address of a route of this proxy"));
        }
        return signInTo(request, returnUrl.get(), Optional.empty(), Optional.empty(), now);
    }

    /** A sign-in opened by a programmatic login ticket: valid, for an allowed redirect, and used once (on any replica). */
    private CompletionStage<LocalAnswer> programmaticSignIn(EndpointRequest request, String ticket, Instant now) {
        Optional<LoginTickets.Ticket> opened = tickets.open(ticket, now);
        Optional<URI> programmatic = opened.map(LoginTickets.Ticket::clientRedirect)
                .filter(signInLinks.returnUrls()::programmaticTarget);
        Optional<URI> returnUrl = programmatic.isEmpty() ? Optional.empty()
                : opened.flatMap(t -> signInLinks.returnUrls().routeUrl(t.returnUrl().toString()));
        if (returnUrl.isEmpty()) {
            return done(SignInServices.badRequest(request, "the programmatic login ticket " + AuthenticateLinks.LOGIN_TICKET_PARAMETER
                    + " is not valid: expired, altered, or for a redirect this proxy does not allow"));
        }
        return StoreUnavailable.asking(() -> runtime.stores().usedSignInSteps().claim(TICKET_STEP + digest(ticket),
                        now.plus(LoginTickets.LIFETIME)))
                .thenCompose(first -> first ? signInTo(request, returnUrl.get(), programmatic, Optional.of(ticket), now)
                        : done(SignInServices.badRequest(request, "the programmatic login ticket "
                                + AuthenticateLinks.LOGIN_TICKET_PARAMETER + " was used already: run the login again")));
    }

    /** A ticket's SHA-256 in base64url: what the used-once store keeps instead of the ticket itself. */
    private static String digest(String ticket) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(ticket.getBytes(StandardCharsets.US_ASCII)));
    }

    private CompletionStage<LocalAnswer> signInTo(EndpointRequest request, URI back, Optional<URI> programmaticRedirect,
            Optional<String> ticket, Instant now) {
        ProviderStack.Client client = clientFor(back);
        // the authenticate host's session belongs to the client it was made through: a route of another signs in anew
        return authenticateSession(request, now).thenCompose(session -> session
                        .filter(s -> s.idpClientId().equals(client.key())).isPresent()
                ? done(handOffs.redirect(session.get(), back, programmaticRedirect, List.of(), now))
                : startSignIn(request, client, back, programmaticRedirect, ticket, now));
    }

    /** Sends the browser to the provider, keeping the attempt sealed in its cookie. */
    private CompletionStage<LocalAnswer> startSignIn(EndpointRequest request, ProviderStack.Client client, URI returnUrl,
            Optional<URI> programmatic, Optional<String> ticket, Instant now) {
        if (client.provider().isEmpty()) {
            return done(unusableClient(request));
        }
        IdentityProvider provider = client.provider().get();
        URI callback = links.callbackUrl();
        AuthorizationRequest authorization = AuthorizationRequest.start(callback, random);
        SignInAttempt attempt = new SignInAttempt(authorization.state(), authorization.nonce(),
                authorization.codeVerifier(), returnUrl, programmatic, now.plus(ATTEMPT_LIFETIME));
        List<String> attemptCookie = SessionCookies.setCookieHeaders(attempts.seal(attempt), csrfCookie(cookies), now);
        String retry = ticket.isPresent() ? links.programmaticSignInUrl(ticket.get()) : links.signInUrl(returnUrl);
        return call(() -> provider.authorizationUrl(authorization))
                .thenApply(url -> (LocalAnswer) new LocalAnswer.Redirect(url.toString(), attemptCookie))
                .exceptionally(failure -> providerFailure(request, failure, retry));
    }

    private CompletionStage<LocalAnswer> callback(EndpointRequest request) {
        Instant now = runtime.clock().instant();
        Optional<SignInAttempt> attempt = SessionCookies.read(request.cookies(),
                        csrfCookie(cookies))
                .flatMap(value -> attempts.open(value, now));
        List<String> clearAttempt = SessionCookies.clearCookieHeaders(
                request.credentials().cookieHeader(), csrfCookie(cookies));
        Optional<String> state = request.parameter("state");
        if (attempt.isEmpty() || state.isEmpty() || !constantTimeEquals(state.get(), attempt.get().state())) {
            Optional<String> retry = attempt.map(a -> links.signInUrl(a.returnUrl()));
            return done(problem(request, ProxyFailure.SIGN_IN_EXPIRED, Optional.empty(), retry));
        }
        SignInAttempt started = attempt.get();
        String retry = links.signInUrl(started.returnUrl());
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
        AuthorizationRequest authorization = new AuthorizationRequest(links.callbackUrl(),
                started.state(), started.nonce(), started.codeVerifier());
        // the client the attempt began with: the one of the route it returns to
        ProviderStack.Client client = clientFor(started.returnUrl());
        if (client.provider().isEmpty()) {
            return done(withCookies(unusableClient(request), clearAttempt));
        }
        IdentityProvider provider = client.provider().get();
        // Each attempt comes back once, on whichever replica: a replayed callback is refused before the provider is asked.
        return StoreUnavailable.asking(() -> runtime.stores().usedSignInSteps().claim(ATTEMPT_STEP + started.state(),
                        started.expiresAt()))
                .thenCompose(first -> first ? redeem(request, provider, code.get(), authorization, client, started,
                        clearAttempt, retry, now)
                        : done(withCookies(problem(request, ProxyFailure.SIGN_IN_EXPIRED, Optional.empty(),
                                Optional.of(retry)), clearAttempt)));
    }

    private CompletionStage<LocalAnswer> redeem(EndpointRequest request, IdentityProvider provider, String code,
            AuthorizationRequest authorization, ProviderStack.Client client, SignInAttempt started,
            List<String> clearAttempt, String retry, Instant now) {
        return call(() -> provider.redeem(code, authorization))
                .thenApply(user -> {
                    Instant signedInAt = runtime.clock().instant();
                    Session session = newSession(user, client.key(), signedInAt);
                    runtime.events().signedIn();
                    AuditLog.signIn(session.userId(), session.email(), provider.name(),
                            ReturnUrls.authority(started.returnUrl()));
                    List<String> setCookies = new ArrayList<>(clearAttempt);
                    setCookies.addAll(SessionCookies.setCookieHeaders(
                            sealer.seal(tokens.forAuthenticateHost(session), Purpose.AUTHENTICATE_SESSION), authenticateCookie(),
                            signedInAt));
                    return handOffs.redirect(session, started.returnUrl(), started.programmaticRedirect(), setCookies,
                            signedInAt);
                })
                .exceptionally(failure -> withCookies(providerFailure(request, failure, retry), clearAttempt));
    }

    private CompletionStage<LocalAnswer> signOut(EndpointRequest request) {
        Instant now = runtime.clock().instant();
        // Read even when already revoked: a route host's sign-out revokes the same session id first.
        Optional<Session> session = SessionCookies.read(request.cookies(), authenticateCookie())
                .flatMap(value -> sealer.unseal(value, Purpose.AUTHENTICATE_SESSION, now));
        List<String> cleared = SessionCookies.clearCookieHeaders(
                request.credentials().cookieHeader(), authenticateCookie());
        Optional<String> target = signInLinks.signOutTarget(request.parameter(AuthenticateLinks.REDIRECT_PARAMETER));
        String next = target.orElse(links.signedOutUrl());
        // The signed-out page may offer to sign in again on the route page the sign-out began on. Back from the
        // proxy itself that page is a query parameter; an identity provider's end-session must come back to
        // exactly the address registered with it, so it carries the page as end-session's state, which the
        // provider passes back (OpenID Connect RP-Initiated Logout 1.0 §3).
        Optional<URI> signedOutFrom = target.isPresent() ? Optional.empty()
                : request.parameter(AuthenticateLinks.SIGNED_OUT_FROM_PARAMETER).flatMap(signInLinks.returnUrls()::routeUrl);
        String nextHere = target.orElseGet(() -> links.signedOutUrl(signedOutFrom));
        Optional<String> endSessionState = signedOutFrom.map(URI::toString);
        // The cookie is cleared only once the revocation is stored: a sign-out that cannot be recorded fails.
        CompletionStage<Void> revoked = session.map(s -> StoreUnavailable.asking(
                        () -> runtime.revocations().revoke(s.sessionId(), s.expiresAt()))
                .thenRun(() -> {
                    runtime.events().signedOut();
                    AuditLog.signOut(s.userId(), s.email());
                })).orElse(CompletableFuture.completedFuture(null));
        Optional<String> idToken = session.flatMap(Session::idToken);
        Optional<IdentityProvider> provider = session.flatMap(s -> clients.clientOf(s).provider());
        return revoked.thenCompose(stored -> idToken.isEmpty() || provider.isEmpty()
                ? done(new LocalAnswer.Redirect(nextHere, cleared))
                : call(() -> provider.get().endSessionUrl(idToken, URI.create(next), endSessionState))
                        .thenApply(url -> (LocalAnswer) new LocalAnswer.Redirect(url.map(URI::toString).orElse(nextHere), cleared))
                        .exceptionally(failure -> {
                            log.warn("sign-out: the identity provider's end-session address is unknown ({}); signed out "
                                    + "here only", describe(failure));
                            return new LocalAnswer.Redirect(nextHere, cleared);
                        }));
    }

    private CompletionStage<LocalAnswer> backChannelLogout(EndpointRequest request) {
        Optional<String> token = request.formField("logout_token");
        if (token.isEmpty()) {
            return done(backChannelAnswer(HttpResponseStatus.BAD_REQUEST, "invalid_request"));
        }
        return verifyLogoutToken(token.get(), logoutProviders())
                .handle((notice, failure) -> {
                    if (failure != null) {
                        log.warn("back-channel logout refused: {}", describe(failure));
                        return done(backChannelAnswer(HttpResponseStatus.BAD_REQUEST, "invalid_request"));
                    }
                    return revoke(notice).thenApply(revoked -> backChannelAnswer(HttpResponseStatus.OK, null));
                })
                .thenCompose(answer -> answer);
    }

    /** Every client's provider, the top-level one first: a logout token is addressed to one of them ({@code aud}). */
    private List<IdentityProvider> logoutProviders() {
        List<IdentityProvider> all = new ArrayList<>();
        clients.provider().ifPresent(all::add);
        clients.routeClients().values().forEach(c -> c.provider().ifPresent(all::add));
        return all;
    }

    /** The notice of the first of {@code providers} that accepts the token; fails with the first one's failure. */
    private static CompletionStage<LogoutNotice> verifyLogoutToken(String token, List<IdentityProvider> providers) {
        if (providers.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no identity provider"));
        }
        CompletionStage<LogoutNotice> first = call(() -> providers.get(0).verifyLogoutToken(token));
        List<IdentityProvider> rest = providers.subList(1, providers.size());
        if (rest.isEmpty()) {
            return first;
        }
        return first.handle((notice, failure) -> failure == null ? CompletableFuture.completedFuture(notice)
                : verifyLogoutToken(token, rest).handle((other, again) -> again == null
                        ? CompletableFuture.completedFuture(other) : CompletableFuture.<LogoutNotice>failedFuture(failure))
                        .thenCompose(stage -> stage))
                .thenCompose(stage -> stage);
    }

    /** The OAuth client people sign in through to return to {@code returnUrl}: its route's own, or the top-level one. */
    private ProviderStack.Client clientFor(URI returnUrl) {
        return clients.clientFor(signInLinks.returnUrls().routeFor(returnUrl));
    }

    /** A route whose own OAuth client has no client id (neither the route's nor a top-level one): nobody can sign in. */
    private static LocalAnswer unusableClient(EndpointRequest request) {
        return problem(request, ProxyFailure.SIGN_IN_UNAVAILABLE, Optional.of("the route's own OAuth client has no"
                + " idp_client_id (neither its own nor a top-level one), so nobody can sign in to it"), Optional.empty());
    }

    /** Revokes what the logout notice names; fails when the revocations could not be stored. */
    private CompletionStage<Void> revoke(LogoutNotice notice) {
        Instant now = runtime.clock().instant();
        Instant until = now.plus(cookies.expire());
        CompletionStage<Void> user = notice.subject().map(sub -> StoreUnavailable.asking(
                () -> runtime.revocations().revokeUser(sub, now.plusSeconds(1), until)))
                .orElse(CompletableFuture.completedFuture(null));
        CompletionStage<Void> providerSession = notice.providerSessionId().map(sid -> StoreUnavailable.asking(
                () -> runtime.revocations().revokeProviderSession(sid, until)))
                .orElse(CompletableFuture.completedFuture(null));
        return user.thenCombine(providerSession, (a, b) -> {
            AuditLog.backchannelLogout(notice.subject(), notice.providerSessionId());
            return null;
        });
    }

    private Session newSession(SignedInUser user, Optional<String> idpClientId, Instant now) {
        return new Session(Session.newSessionId(random), user.userId(), user.email(), user.name(), user.groups(),
                user.claims(), now, now.plus(cookies.expire()), user.idToken(), user.refreshToken(),
                RefreshSchedule.dueAt(now, user.tokensExpireAt(), user.refreshToken()), user.providerSessionId(),
                user.accessToken(), idpClientId);
    }

    /** The authenticate host's session, unless revoked; fails when the revocations could not be checked. */
    private CompletionStage<Optional<Session>> authenticateSession(EndpointRequest request, Instant now) {
        Optional<Session> session = SessionCookies.read(request.cookies(), authenticateCookie())
                .flatMap(value -> sealer.unseal(value, Purpose.AUTHENTICATE_SESSION, now))
                .filter(clients::stillKnows);
        if (session.isEmpty()) {
            return CompletableFuture.completedFuture(session);
        }
        return StoreUnavailable.asking(() -> runtime.revocations().isRevoked(session.get(), now))
                .thenApply(revoked -> revoked ? Optional.<Session>empty() : session);
    }

    /** The authenticate host's own cookie: host-only, whatever {@code cookie_domain} says for routes. */
    private CookieSettings authenticateCookie() {
        CookieSettings routes = cookies;
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
        if (StoreUnavailable.isCause(failure)) {
            throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure); // a 503
        }
        Throwable cause = unwrap(failure);
        if (cause instanceof IdentityProviderException e && e.kind() == IdentityProviderException.Kind.REJECTED) {
            log.info("sign-in refused: {}", e.getMessage());
            return problem(request, ProxyFailure.SIGN_IN_REFUSED, Optional.of(truncate(e.getMessage())), Optional.of(retry));
        }
        log.warn("sign-in failed: the identity provider{} could not be used: {}",
                providerHost.map(h -> " at " + h).orElse(""), describe(failure));
        return LocalAnswer.page(alloc -> SignInProblemPage.providerUnreachable(alloc, request.requestId(),
                request.accept(), providerHost, retry));
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
