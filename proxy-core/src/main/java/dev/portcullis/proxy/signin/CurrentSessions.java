package dev.portcullis.proxy.signin;

import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionCookies;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.http.ProxyCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the session a request to a route host carries, among the {@link ProxyCredentials} the trust
 * boundary took out of its headers: the session cookie ({@code cookie_name}, joined from its chunks),
 * or for scripts {@code Authorization: Bearer Pomerium-<token>} (also the older
 * {@code Authorization: Pomerium <token>}). A tampered, expired, foreign or revoked value, or one of a built-in
 * user no longer in the users file, means "no session", never an error. A session whose provider tokens are due is renewed first,
 * and its new cookie goes out with the answer. When the revocation store cannot answer, the lookup
 * fails with {@link StoreUnavailable}: a session that may have been signed out is not served.
 */
public final class CurrentSessions {
    private static final CompletionStage<CurrentSession> NO_SESSION = CompletableFuture.completedFuture(CurrentSession.NONE);
    private static final CompletionStage<Optional<Carried>> NOTHING_CARRIED = CompletableFuture.completedFuture(Optional.empty());

    private final SessionSealer sealer;
    private final CookieSettings cookies;
    private final RevocationStore revocations;
    /** The provider's OAuth clients: which one a route signs people in through, and each one's renewer. */
    private final ProviderStack clients;
    private final UpstreamTokens tokens;
    private final Clock clock;

    /** @param tokens the provider tokens a route host's session keeps */
    CurrentSessions(SessionSealer sealer, CookieSettings cookies, RevocationStore revocations,
            ProviderStack clients, UpstreamTokens tokens, Clock clock) {
        this.sealer = sealer;
        this.tokens = tokens;
        this.cookies = cookies;
        this.revocations = revocations;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * The request's session for {@code route}, renewed when due. Completes at once unless a store or a renewal is
     * slow. A session made through another OAuth client than the one the route signs people in through (a route's
     * own {@code idp_client_id}, or the top-level one) is no session here: the person signs in through the route's.
     */
    public CompletionStage<CurrentSession> current(ProxyCredentials credentials, Optional<Route> route) {
        Instant now = clock.instant();
        return read(credentials, now).thenCompose(carried -> {
            if (carried.isEmpty() || !clients.accepts(carried.get().session(), route)) {
                return NO_SESSION;
            }
            Session session = carried.get().session();
            Optional<SessionRefresher> refresher = clients.clientOf(session).refresher();
            if (refresher.isEmpty() || !session.isRefreshDueAt(now)) {
                return CompletableFuture.completedFuture(CurrentSession.of(session));
            }
            boolean fromCookie = carried.get().fromCookie();
            return refresher.get().refresh(session).thenApply(renewed -> renewed
                    .map(s -> new CurrentSession(Optional.of(s), fromCookie ? setCookies(s, clock.instant()) : List.of()))
                    .orElse(CurrentSession.NONE));
        });
    }

    /** The request's session as it is, without renewal: for the proxy's own pages. */
    public CompletionStage<Optional<Session>> peek(ProxyCredentials credentials) {
        return read(credentials, clock.instant()).thenApply(carried -> carried.map(Carried::session));
    }

    /** As {@link #peek(ProxyCredentials)}, only when made through the OAuth client {@code route} signs people in through. */
    public CompletionStage<Optional<Session>> peek(ProxyCredentials credentials, Optional<Route> route) {
        return peek(credentials).thenApply(session -> session.filter(s -> clients.accepts(s, route)));
    }

    /** The cookies that carry {@code session} on a route host. */
    public List<String> setCookies(Session session, Instant now) {
        return SessionCookies.setCookieHeaders(sealer.seal(tokens.forRouteHost(session), Purpose.ROUTE_SESSION), cookies, now);
    }

    /** The sealed value scripts send as {@code Authorization: Bearer Pomerium-<value>}. */
    public String token(Session session) {
        return sealer.seal(tokens.forRouteHost(session), Purpose.ROUTE_SESSION);
    }

    private CompletionStage<Optional<Carried>> read(ProxyCredentials credentials, Instant now) {
        if (credentials.isEmpty()) {
            return NOTHING_CARRIED;
        }
        String authorization = credentials.authorization().orElse(null);
        Optional<String> token;
        boolean fromCookie = false;
        if (authorization != null && authorization.startsWith(ProxyCredentials.BEARER_PREFIX)) {
            token = Optional.of(authorization.substring(ProxyCredentials.BEARER_PREFIX.length()).strip());
        } else if (authorization != null && authorization.startsWith(ProxyCredentials.POMERIUM_PREFIX)) {
            token = Optional.of(authorization.substring(ProxyCredentials.POMERIUM_PREFIX.length()).strip());
        } else {
            token = SessionCookies.read(credentials.cookieHeaders(), cookies);
            fromCookie = true;
        }
        boolean cookie = fromCookie;
        Optional<Session> unsealed = token.flatMap(value -> sealer.unseal(value, Purpose.ROUTE_SESSION, now))
                .filter(clients::stillKnows);
        if (unsealed.isEmpty()) {
            return NOTHING_CARRIED;
        }
        return StoreUnavailable.asking(() -> revocations.isRevoked(unsealed.get(), now))
                .thenApply(revoked -> revoked ? Optional.<Carried>empty() : Optional.of(new Carried(unsealed.get(), cookie)));
    }

    private record Carried(Session session, boolean fromCookie) {}
}
