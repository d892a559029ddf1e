package dev.portcullis.proxy.signin;

import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.assertion.AssertionSigner;
import dev.portcullis.authn.assertion.KeySetDocuments;
import dev.portcullis.authn.assertion.SigningKeys;
import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.session.SameSite;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.signin.Handoffs;
import dev.portcullis.authn.signin.LoginTickets;
import dev.portcullis.authn.passkey.PasskeyCeremonySeal;
import dev.portcullis.authn.signin.SignInAttempts;
import dev.portcullis.config.Options;
import dev.portcullis.config.SignInGap;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.PasskeysSection;
import dev.portcullis.proxy.pages.SignInProblemPage;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteTable;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in for one configuration: the identity provider, the proxy's own endpoints, the sessions
 * requests carry and what upstreams receive about the user. Built with the configuration snapshot:
 * first its parts (cookie settings, sealers, links, sessions), then each endpoint with only the parts
 * it needs. What must outlive a reload (revocations, provider threads, the clock) comes from the
 * {@link SignInRuntime}; the provider carries over from the previous services while its settings
 * stay the same.
 */
public final class SignInServices {
    private static final Logger log = LoggerFactory.getLogger(SignInServices.class);

    private final Optional<URI> authenticateUrl;
    private final RequestHost authenticateHost;
    private final String callbackPath;
    private final CookieSettings cookies;
    /** The identity provider and what it keeps between requests. */
    private final ProviderStack provider;
    private final CurrentSessions sessions;
    private final IdentityHeaders identityHeaders;
    private final KeySetDocuments keySet;
    private final SignInLinks links;
    private final Optional<AuthenticateEndpoints> authenticate;
    private final RouteEndpoints routeEndpoints;

    private SignInServices(Options options, RouteTable routes, SignInRuntime runtime, Optional<SignInServices> previous) {
        Options.CookieOptions cookieOptions = options.cookies();
        Options.IdentityOptions identity = options.identity();
        this.authenticateUrl = options.authenticateServiceUrl();
        this.authenticateHost = authenticateUrl.map(url -> RequestHost.parse(url.getRawAuthority())).orElse(null);
        this.callbackPath = options.authenticateCallbackPath();
        this.cookies = new CookieSettings(cookieOptions.name(), cookieOptions.domain(), cookieOptions.secure(),
                cookieOptions.httpOnly(), SameSite.parse(cookieOptions.sameSite()), cookieOptions.expire());
        byte[] cookieSecret = options.secrets().cookieSecret();
        byte[] sharedSecret = options.secrets().sharedSecret().clone();
        SessionSealer sealer = new SessionSealer(cookieSecret);
        SignInAttempts attempts = new SignInAttempts(cookieSecret);
        PasskeyCeremonySeal ceremonies = new PasskeyCeremonySeal(cookieSecret);
        // The redeemed hand-offs are in the runtime's store: a reload never makes one usable again.
        Handoffs handoffs = new Handoffs(sharedSecret, runtime.stores().redeemedHandoffs());
        LoginTickets tickets = new LoginTickets(sharedSecret);
        SigningKeys keys = identity.signingKeyPem().map(SigningKeys::fromPem).orElseGet(() -> SigningKeys.derivedFrom(sharedSecret));
        this.keySet = new KeySetDocuments(keys);
        this.identityHeaders = new IdentityHeaders(new AssertionSigner(keys.signing()), identity.jwtClaimsHeaders(),
                identity.jwtIssuerFormat(), runtime.clock());
        // The provider, with what it keeps (renewals in flight, the built-in provider's users file),
        // carries over while its settings stay the same.
        this.provider = previous.map(p -> p.provider).filter(p -> p.servesSettingsOf(options))
                .orElseGet(() -> ProviderStack.of(options, runtime));
        UpstreamTokens tokens = UpstreamTokens.of(options.routes());
        this.sessions = new CurrentSessions(sealer, cookies, runtime.revocations(), provider, tokens,
                runtime.clock());
        Optional<AuthenticateLinks> authenticateLinks = provider.provider().isPresent()
                ? authenticateUrl.map(url -> new AuthenticateLinks(url, callbackPath)) : Optional.empty();
        Optional<String> gap = authenticateLinks.isPresent() ? Optional.empty()
                : SignInGap.of(options.identityProvider(), authenticateUrl);
        this.links = new SignInLinks(authenticateLinks, new ReturnUrls(routes, identity.programmaticRedirectDomains()),
                identity.allowAnySignOutRedirect(), identity.signoutRedirectUrl(), gap);
        this.authenticate = authenticateLinks.map(own -> new AuthenticateEndpoints(provider, provider.remoteHost(), own,
                links, cookies, sealer, attempts, tickets, new HandOffRedirects(handoffs, sessions), tokens, runtime,
                provider.builtin().map(b -> new BuiltinSignInEndpoints(b.provider(), b.checks(), b.passkeys(),
                        ceremonies, own, cookies, attempts, runtime.clock())),
                provider.builtin().map(b -> new PasskeyManagementEndpoints(b.passkeys(), b.usersFile(), ceremonies,
                        runtime.providerCalls(), runtime.clock())),
                provider.builtin().map(b -> new InvitationEndpoints(b.usersFile(), b.passkeys(), ceremonies,
                        runtime.providerCalls(), runtime.clock()))));
        // passkeys belong to the authenticate host: a route host's user page links to its page
        Optional<PasskeysSection> passkeysElsewhere = authenticateLinks.filter(own -> provider.builtin().isPresent())
                .map(own -> new PasskeysSection.Elsewhere(own.userPageUrl()));
        this.routeEndpoints = new RouteEndpoints(handoffs, tickets, cookies, sessions, identityHeaders, links, runtime,
                identity.jwtEndpoint(), identity.routesPortal(), passkeysElsewhere);
    }

    /**
     * Builds the sign-in services of {@code options}.
     *
     * @param previous the services served until now: their identity provider stays (with the same
     *                 {@code idp_*} settings and authenticate URL)
     * @throws IllegalArgumentException when the signing key or identity provider settings cannot be used,
     *                                  or the built-in provider's users file is malformed (naming its path and line)
     */
    public static SignInServices of(Options options, RouteTable routes, SignInRuntime runtime,
            Optional<SignInServices> previous) {
        return new SignInServices(options, routes, runtime, previous);
    }

    /** The assertion's key set ({@code /.well-known/pomerium/jwks.json}) or Pomerium's metadata document. */
    public CompletionStage<LocalAnswer> keySet(EndpointRequest request) {
        String path = request.path();
        if (path.equals(KeySetDocuments.JWKS_PATH)) {
            return CompletableFuture.completedFuture(LocalAnswer.publicDocument(keySet.jwksJson(),
                    Optional.of(keySet.jwksEtag())));
        }
        if (path.equals(KeySetDocuments.WELL_KNOWN_PATH) || path.equals(KeySetDocuments.WELL_KNOWN_PATH + "/")) {
            String document = keySet.wellKnownJson(authenticateUrl.map(URI::toString)
                    .orElse("https://" + request.host().authority()), callbackPath, request.host().authority());
            return CompletableFuture.completedFuture(LocalAnswer.publicDocument(document));
        }
        // the rest of the prefix is the proxy's too, and there is nothing else there
        return CompletableFuture.completedFuture(LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc,
                ProxyFailure.NO_ROUTE, request.requestId(), request.accept(), Optional.empty(), Optional.empty())));
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
            if (StoreUnavailable.isCause(cause)) {
                log.warn("request {}: refused, {}", request.requestId(), StoreUnavailable.describe(cause));
                return CompletableFuture.completedFuture(LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc,
                        ProxyFailure.STATE_STORE_UNAVAILABLE, request.requestId(), request.accept(), Optional.empty(),
                        Optional.empty())));
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
        return links.signInUrlFor(host, pathAndQuery);
    }

    /** The "sign in as someone else" link: sign out, then come back to {@code pathAndQuery}. */
    public Optional<String> signInAgainUrl(RequestHost host, String pathAndQuery) {
        return links.signInAgainUrl(host, pathAndQuery);
    }

    /**
     * When sign-in is not configured, the sentence saying what is missing ({@link SignInGap}), for the page a
     * stranger sees on a route that needs sign-in; empty when sign-in is configured.
     */
    public Optional<String> signInGap() {
        return links.gap();
    }

    /** Whether sign-in is configured (an identity provider and the authenticate service URL). */
    public boolean canSignIn() {
        return authenticate.isPresent();
    }

    /** The authenticate service's host, when sign-in is configured (an identity provider and its URL). */
    public Optional<RequestHost> authenticateHost() {
        return authenticate.isPresent() ? Optional.ofNullable(authenticateHost) : Optional.empty();
    }

}
