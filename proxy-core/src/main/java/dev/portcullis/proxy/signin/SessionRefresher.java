package dev.portcullis.proxy.signin;

import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.SignedInUser;
import dev.portcullis.authn.session.RevocationStore;
import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.metrics.SignInEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import dev.portcullis.proxy.log.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews sessions whose provider tokens are due, with at most one renewal in flight per session:
 * a burst of parallel requests carrying the same due cookie waits on one provider call, and
 * requests arriving after it (still with the old cookie) get the renewed session it produced.
 *
 * <p>The provider refusing the refresh token (it was revoked, or the user disabled) ends the
 * session: it is revoked and the user signs in again. The provider being unreachable does not:
 * the session goes on until its own expiry and renewal is tried again later, with a warning.
 */
final class SessionRefresher {
    private static final int MAX_REMEMBERED = 100_000;
    private static final Logger log = LoggerFactory.getLogger(SessionRefresher.class);

    private final IdentityProvider provider;
    private final RevocationStore revocations;
    private final Clock clock;
    private final SignInEvents events;
    private final Map<String, CompletableFuture<Optional<Session>>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Session> renewed = new ConcurrentHashMap<>();

    SessionRefresher(IdentityProvider provider, RevocationStore revocations, Clock clock, SignInEvents events) {
        this.provider = provider;
        this.revocations = revocations;
        this.clock = clock;
        this.events = events;
    }

    /** The renewed session, or empty when the session ended. */
    CompletionStage<Optional<Session>> refresh(Session session) {
        Instant now = clock.instant();
        Session known = renewed.get(session.sessionId());
        if (known != null && !known.isRefreshDueAt(now) && !known.isExpiredAt(now)) {
            return CompletableFuture.completedFuture(Optional.of(known));
        }
        CompletableFuture<Optional<Session>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Session>> running = inFlight.putIfAbsent(session.sessionId(), mine);
        if (running != null) {
            return running;
        }
        CompletionStage<SignedInUser> call;
        try {
            call = provider.refresh(session.refreshToken().orElseThrow());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.handle((user, failure) -> failure == null ? renewedFrom(session, user) : afterFailure(session, failure))
                .whenComplete((result, failure) -> {
                    Optional<Session> outcome = failure == null ? result : Optional.of(session);
                    outcome.ifPresent(s -> remember(s, now));
                    inFlight.remove(session.sessionId(), mine);
                    mine.complete(outcome);
                });
        return mine;
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
                old.providerSessionId()));
    }

    private Optional<Session> afterFailure(Session session, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Instant now = clock.instant();
        if (cause instanceof IdentityProviderException e && e.kind() == IdentityProviderException.Kind.REJECTED) {
            AuditLog.sessionRefreshFailed(session.userId(), e.getMessage(), true);
            revocations.revoke(session.sessionId(), session.expiresAt()).exceptionally(stored -> {
                // the session ends for this request all the same; its next one asks the provider again
                log.warn("the session of user {} could not be recorded as revoked: {}", session.userId(), stored.toString());
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
                session.providerSessionId()));
    }

    private void remember(Session session, Instant now) {
        if (renewed.size() >= MAX_REMEMBERED) {
            renewed.values().removeIf(s -> s.isExpiredAt(now));
        }
        if (renewed.size() < MAX_REMEMBERED) {
            renewed.put(session.sessionId(), session);
        }
    }
}
