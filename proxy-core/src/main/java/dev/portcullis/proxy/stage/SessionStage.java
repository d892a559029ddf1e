package dev.portcullis.proxy.stage;

import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.signin.CurrentSession;
import dev.portcullis.authn.store.StoreUnavailable;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the session the request carries, renewing it when its provider tokens are due (the renewed
 * cookie goes out with the answer). A tampered, expired, foreign or revoked session, or a lookup
 * that failed, is no session: never an error page. One exception fails closed: when the revocation
 * store cannot answer, the request is answered {@code 503} ({@link ProxyFailure#STATE_STORE_UNAVAILABLE}),
 * since the session it carries may have been signed out.
 */
final class SessionStage implements Stage {
    private static final Logger log = LoggerFactory.getLogger(SessionStage.class);

    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        CompletionStage<CurrentSession> current;
        // a renewal calls the identity provider: its span is a child of this request's
        try (Scope traced = exchange.trace().makeCurrent()) {
            current = exchange.snapshot().signIn().sessions().current(exchange.credentials(),
                    exchange.route().map(RouteEntry::route));
        } catch (RuntimeException e) {
            current = CompletableFuture.completedFuture(CurrentSession.NONE);
        }
        return exchange.resumed(current).handle((found, failure) -> {
            if (failure != null && StoreUnavailable.isCause(failure)) {
                log.warn("request {}: refused, the session could not be checked: {}", exchange.requestId(),
                        StoreUnavailable.describe(failure));
                return Step.answer(Reply.failure(ProxyFailure.STATE_STORE_UNAVAILABLE));
            }
            CurrentSession session = failure == null && found != null ? found : CurrentSession.NONE;
            session.session().ifPresent(exchange::session);
            exchange.responseCookies(session.setCookies());
            return Step.NEXT;
        });
    }
}
