package dev.portcullis.proxy.signin;

import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.SignedInUser;
import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.store.SingleUse;
import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.proxy.log.AuditLog;
import dev.portcullis.proxy.metrics.SignInEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews sessions whose provider tokens are due, with at most one provider call per due session:
 * a burst of parallel requests carrying the same due cookie waits on one call here, another
 * replica sharing the stores finds the renewal claimed ({@link SignInStores#renewalClaims}) and
 * serves the session as it is meanwhile, and requests arriving after it (still with the old cookie)
 * get the renewed session it produced ({@link SignInStores#renewedSessions}).
 *
 * <p>The provider refusing the refresh token (it was revoked, or the user disabled) ends the
 * session: it is revoked and the user signs in again. The provider being unreachable does not:
 * the session goes on until its own expiry and renewal is tried again later, with a warning. A
 * renewal store that cannot answer is no reason to sign anyone out either: the session is served
 * as it is, with a warning (revocation, checked before, is what keeps people out).
 */
final class SessionRefresher {
    /** How long a renewal holds its claim: longer than a provider call may take. */
    static final Duration CLAIM_LIFETIME = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(SessionRefresher.class);

    private final IdentityProvider provider;
    private final RevocationStore revocations;
    private final RenewedSessions renewed;
    private final SingleUse claims;
    private final Clock clock;
    private final SignInEvents events;
    private final Map<String, CompletableFuture<Optional<Session>>> inFlight = new ConcurrentHashMap<>();

    SessionRefresher(IdentityProvider provider, SignInStores stores, Clock clock, SignInEvents events) {
        this.provider = provider;
        this.revocations = stores.revocations();
        this.renewed = stores.renewedSessions();
        this.claims = stores.renewalClaims();
        this.clock = clock;
        this.events = events;
    }

    /** The renewed session (or, while it cannot be renewed, the session as it is), or empty when the session ended. */
    CompletionStage<Optional<Session>> refresh(Session session) {
        CompletableFuture<Optional<Session>> running = inFlight.get(session.sessionId());
        if (running != null) {
            return running;
        }
        Instant now = clock.instant();
        return latest(session).thenCompose(latest -> latest.isRefreshDueAt(now)
                ? renew(latest, now) : CompletableFuture.completedFuture(Optional.of(latest)));
    }

    /** The latest renewal of {@code session} remembered, or {@code session} itself. */
    private CompletionStage<Session> latest(Session session) {
        return StoreUnavailable.asking(() -> renewed.latest(session.sessionId())).handle((known, failure) -> {
            if (failure != null) {
                log.warn("renewing the session of user {}: the renewed sessions could not be read: {}",
                        session.userId(), StoreUnavailable.describe(failure));
                return session;
            }
            return known.filter(k -> later(k, session)).orElse(session);
        });
    }

    private CompletionStage<Optional<Session>> renew(Session session, Instant now) {
        CompletableFuture<Optional<Session>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Session>> running = inFlight.putIfAbsent(session.sessionId(), mine);
        if (running != null) {
            return running;
        }
        String claim = "renewal:" + session.sessionId() + "@" + session.refreshDueAt().map(Instant::getEpochSecond).orElse(0L);
        StoreUnavailable.asking(() -> claims.claim(claim, now.plus(CLAIM_LIFETIME)))
                .handle((first, failure) -> {
                    if (failure != null) {
                        log.warn("renewing the session of user {}: the renewal could not be claimed: {}",
                                session.userId(), StoreUnavailable.describe(failure));
                        return CompletableFuture.completedFuture(Optional.of(session));
                    }
                    // Claimed already: renewed meanwhile (its result is remembered), or being renewed elsewhere.
                    return first ? callProvider(session) : latest(session).thenApply(Optional::of);
                })
                .thenCompose(outcome -> outcome)
                .whenComplete((outcome, failure) -> {
                    inFlight.remove(session.sessionId(), mine);
                    mine.complete(failure == null ? outcome : Optional.of(session));
                });
        return mine;
    }

    private CompletionStage<Optional<Session>> callProvider(Session session) {
        CompletionStage<SignedInUser> call;
        try {
            call = provider.refresh(session.refreshToken().orElseThrow());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((user, failure) -> failure == null ? renewedFrom(session, user) : afterFailure(session, failure))
                .thenCompose(outcome -> outcome.isEmpty() ? CompletableFuture.completedFuture(outcome)
                        : StoreUnavailable.asking(() -> renewed.remember(outcome.get())).handle((stored, failure) -> {
                            if (failure != null) {
                                log.warn("the renewed session of user {} could not be remembered: {}", session.userId(),
                                        StoreUnavailable.describe(failure));
                            }
                            return outcome;
                        }));
    }

    /** Whether {@code a} is a later renewal than {@code b}: due later (a session without a due time is never renewed again). */
    private static boolean later(Session a, Session b) {
        return a.refreshDueAt().isEmpty() || b.refreshDueAt().isPresent() && a.refreshDueAt().get().isAfter(b.refreshDueAt().get());
    }

    private Optional<Session> renewedFrom(Session old, SignedInUser user) {
        events.sessionRefreshed(SignInEvents.Refresh.RENEWED);
        Instant now = clock.instant();
        Optional<String> refreshToken = user.refreshToken().or(old::refreshToken);
        return Optional.of(new Session(old.sessionId(), old.userId(),
                user.email() != null ? user.email() : old.email(),
                user.name() != null ? user.name() : old.name(),
                user.groups(), user.claims(), old.issuedAt(), old.expiresAt(),
                user.idToken().or(old::idToken), refreshToken,
                RefreshSchedule.dueAt(now, user.tokensExpireAt(), refreshToken),
                old.providerSessionId(), user.accessToken().or(old::accessToken), old.idpClientId()));
    }

    private Optional<Session> afterFailure(Session session, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Instant now = clock.instant();
        if (cause instanceof IdentityProviderException e && e.kind() == IdentityProviderException.Kind.REJECTED) {
            AuditLog.sessionRefreshFailed(session.userId(), e.getMessage(), true);
            StoreUnavailable.asking(() -> revocations.revoke(session.sessionId(), session.expiresAt())).exceptionally(stored -> {
                // the session ends for this request all the same; its next one asks the provider again
                log.warn("the session of user {} could not be recorded as revoked: {}", session.userId(),
                        StoreUnavailable.describe(stored));
                return null;
            });
            events.sessionRefreshed(SignInEvents.Refresh.ENDED);
            return Optional.empty();
        }
        AuditLog.sessionRefreshFailed(session.userId(), cause.getMessage(), false);
        events.sessionRefreshed(SignInEvents.Refresh.FAILED);
        return Optional.of(new Session(session.sessionId(), session.userId(), session.email(), session.name(),
                session.groups(), session.claims(), session.issuedAt(), session.expiresAt(), session.idToken(),
                session.refreshToken(), Optional.of(now.plus(RefreshSchedule.RETRY_AFTER_UNAVAILABLE)),
                session.providerSessionId(), session.accessToken(), session.idpClientId()));
    }
}
