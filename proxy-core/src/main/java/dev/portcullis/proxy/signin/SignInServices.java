package dev.portcullis.proxy.signin;

import dev.portcullis.authn.assertion.AssertionSigner;
import dev.portcullis.authn.assertion.KeySetDocuments;
import dev.portcullis.authn.assertion.SigningKey;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.SameSite;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.signin.Handoffs;
import dev.portcullis.authn.signin.LoginTickets;
import dev.portcullis.authn.signin.SignInAttempts;
import dev.portcullis.config.Options;
import dev.portcullis.proxy.metrics.SignInEvents;
import dev.portcullis.proxy.pages.SignInProblemPage;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteTable;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Everything sign-in needs for one configuration: the identity provider, the sealers of cookies,
 * attempts, hand-offs and tickets, the assertion signer, and the proxy's own endpoints. Built with
 * the configuration snapshot; what must outlive a reload (revocations, provider threads) comes from
 * the {@link SignInRuntime}.
 */
public final class SignInServices {
    private final SignInRuntime runtime;
    private final Optional<URI> authenticateUrl;
    private final RequestHost authenticateHost;
    private final String callbackPath;
    private final CookieSettings cookies;
    private final SessionSealer sealer;
    private final SignInAttempts attempts;
    private final Handoffs handoffs;
    private final LoginTickets tickets;
    private final ReturnUrls returnUrls;
    private final CurrentSessions sessions;
    private final IdentityHeaders identityHeaders;
    private final KeySetDocuments keySet;
    private final Options.IdentityOptions identity;
    private final Optional<AuthenticateEndpoints> authenticate;
    private final RouteEndpoints routeEndpoints;
    private final byte[] sharedSecret;
    /** The identity provider and what it keeps between requests. */
    private final ProviderStack provider;

    private SignInServices(Options options, RouteTable routes, SignInRuntime runtime, Optional<SignInServices> previous) {
        this.runtime = runtime;
        Options.CookieOptions cookieOptions = options.cookies();
        this.identity = options.identity();
        this.authenticateUrl = options.authenticateServiceUrl();
        this.authenticateHost = authenticateUrl.map(url -> RequestHost.parse(url.getRawAuthority())).orElse(null);
        this.callbackPath = options.authenticateCallbackPath();
        this.cookies = new CookieSettings(cookieOptions.name(), cookieOptions.domain(), cookieOptions.secure(),
                cookieOptions.httpOnly(), SameSite.parse(cookieOptions.sameSite()), cookieOptions.expire());
        byte[] cookieSecret = options.secrets().cookieSecret();
        this.sharedSecret = options.secrets().sharedSecret().clone();
        this.sealer = new SessionSealer(cookieSecret);
        this.attempts = new SignInAttempts(cookieSecret);
        // The hand-offs remember which were redeemed: a reload must not make one usable again.
        this.handoffs = previous.filter(p -> Arrays.equals(p.sharedSecret, sharedSecret)).map(p -> p.handoffs)
                .orElseGet(() -> new Handoffs(sharedSecret));
        this.tickets = new LoginTickets(sharedSecret);
        this.returnUrls = new ReturnUrls(routes, identity.programmaticRedirectDomains());
        SigningKey key = identity.signingKeyPem().map(SigningKey::fromPem).orElseGet(() -> SigningKey.derivedFrom(sharedSecret));
        this.keySet = new KeySetDocuments(key);
        this.identityHeaders = new IdentityHeaders(new AssertionSigner(key), identity.jwtClaimsHeaders(), runtime.clock());
        // The provider, with what it keeps (renewals in flight, the built-in provider's users file,
        // throttle and used TOTP codes), carries over while its settings stay the same.
        this.provider = previous.map(p -> p.provider).filter(p -> p.servesSettingsOf(options))
                .orElseGet(() -> ProviderStack.of(options, runtime));
        this.sessions = new CurrentSessions(sealer, cookies, runtime.revocations(), provider.refresher(), runtime.clock());
        Optional<BuiltinSignInEndpoints> ownPages = provider.builtin().map(b -> new BuiltinSignInEndpoints(this,
                b.provider(), b.checks(), authenticateUrl.orElseThrow()));
        this.authenticate = provider.provider().flatMap(p -> authenticateUrl.map(url -> new AuthenticateEndpoints(this, p,
                url, ownPages)));
        this.routeEndpoints = new RouteEndpoints(this);
    }

    /**
     * Builds the sign-in services of {@code options}.
     *
     * @param previous the services served until now: the hand-offs already redeemed stay refused
     *                 (with the same shared secret), and the identity provider with its state stays
     *                 (with the same {@code idp_*} settings and authenticate URL)
     * @throws IllegalArgumentException when the signing key or identity provider settings cannot be used,
     *                                  or the built-in provider's users file is malformed (naming its path and line)
     */
    public static SignInServices of(Options options, RouteTable routes, SignInRuntime runtime,
            Optional<SignInServices> previous) {
        return new SignInServices(options, routes, runtime, previous);
    }

    /** The identity provider's host the proxy calls, when it is not the built-in one. */
    Optional<String> identityProviderHost() {
        return provider.remoteHost();
    }

    /** The assertion's key set ({@code /.well-known/pomerium/jwks.json}) or Pomerium's metadata document. */
    public CompletionStage<LocalAnswer> keySet(EndpointRequest request) {
        if (request.path().equals(KeySetDocuments.JWKS_PATH)) {
            return CompletableFuture.completedFuture(LocalAnswer.body(HttpResponseStatus.OK, "application/json",
                    keySet.jwksJson(), "max-age=60"));
        }
        String document = keySet.wellKnownJson(authenticateUrl.map(URI::toString).orElse("https://" + request.host().authority()),
                callbackPath, request.host().authority());
        return CompletableFuture.completedFuture(LocalAnswer.body(HttpResponseStatus.OK, "application/json",
                document, "max-age=60"));
    }

    /**
     * The authenticate service's answer ({@link #authenticateHost} only). A request it cannot read (a
     * malformed query or form, a parameter given twice) is answered {@code 400} saying what is wrong;
     * the stage fails only when the endpoint itself failed.
     */
    public CompletionStage<LocalAnswer> authenticate(EndpointRequest request) {
        return readable(request, () -> authenticate.orElseThrow().handle(request));
    }

    /** The answer of {@code /.pomerium/…} on a route host; unreadable requests as for {@link #authenticate}. */
    public CompletionStage<LocalAnswer> routePages(EndpointRequest request) {
        return readable(request, () -> routeEndpoints.handle(request));
    }

    private static CompletionStage<LocalAnswer> readable(EndpointRequest request,
            java.util.function.Supplier<CompletionStage<LocalAnswer>> endpoint) {
        CompletionStage<LocalAnswer> answer;
        try {
            answer = endpoint.get();
        } catch (MalformedEndpointRequest e) {
            return CompletableFuture.completedFuture(badRequest(request, e.getMessage()));
        }
        return answer.handle((done, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                return CompletableFuture.completedFuture(done);
            }
            if (cause instanceof MalformedEndpointRequest malformed) {
                return CompletableFuture.completedFuture(badRequest(request, malformed.getMessage()));
            }
            return CompletableFuture.<LocalAnswer>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    /** {@code 400}: the request to one of the proxy's endpoints is wrong, and what is. */
    static LocalAnswer badRequest(EndpointRequest request, String whatIsWrong) {
        return LocalAnswer.page(alloc -> SignInProblemPage.badRequest(alloc, request.requestId(), request.accept(),
                whatIsWrong));
    }

    /** The sessions requests carry. */
    public CurrentSessions sessions() {
        return sessions;
    }

    /** The proxy's cookie names (route session, authenticate session, sign-in attempt); chunks follow by rule. */
    public java.util.Set<String> ownCookieNames() {
        return cookies.ownCookieNames();
    }

    /** What upstreams receive about the user. */
    public IdentityHeaders identityHeaders() {
        return identityHeaders;
    }

    /** The sign-in URL that returns to {@code pathAndQuery} on {@code host}; empty when sign-in is not configured. */
    public Optional<String> signInUrlFor(RequestHost host, String pathAndQuery) {
        return authenticate.flatMap(a -> returnUrls.onRouteHost(host, pathAndQuery).map(a::signInUrl));
    }

    /** The "sign in as someone else" link: sign out, then come back to {@code pathAndQuery}. */
    public Optional<String> signInAgainUrl(RequestHost host, String pathAndQuery) {
        return returnUrls.onRouteHost(host, "/.pomerium/sign_out").flatMap(signOut -> returnUrls
                .onRouteHost(host, pathAndQuery).map(back -> {
                    QueryStringEncoder url = new QueryStringEncoder(signOut.toString());
                    url.addParam(AuthenticateEndpoints.REDIRECT_PARAMETER, back.toString());
                    return url.toString();
                }));
    }

    /** Whether sign-in is configured (an identity provider and the authenticate service URL). */
    public boolean canSignIn() {
        return authenticate.isPresent();
    }

    /** Where sign-out ends: the requested route URL when allowed, else {@code signout_redirect_url}. */
    Optional<String> signOutTarget(Optional<String> requested) {
        Optional<String> allowed = requested.flatMap(text -> identity.allowAnySignOutRedirect()
                ? ReturnUrls.absolute(text) : returnUrls.routeUrl(text)).map(URI::toString);
        return allowed.or(() -> identity.signoutRedirectUrl().map(URI::toString));
    }

    /** The authenticate service's host, when sign-in is configured (an identity provider and its URL). */
    public Optional<RequestHost> authenticateHost() {
        return authenticate.isPresent() ? Optional.ofNullable(authenticateHost) : Optional.empty();
    }

    Clock clock() { return runtime.clock(); }
    SignInEvents events() { return runtime.events(); }
    String callbackPath() { return callbackPath; }
    CookieSettings cookies() { return cookies; }
    SessionSealer sealer() { return sealer; }
    SignInAttempts attempts() { return attempts; }
    Handoffs handoffs() { return handoffs; }
    LoginTickets tickets() { return tickets; }
    RevocationStore revocations() { return runtime.revocations(); }
    ReturnUrls returnUrls() { return returnUrls; }
    boolean jwtEndpoint() { return identity.jwtEndpoint(); }
    Optional<AuthenticateEndpoints> authenticate() { return authenticate; }
}
