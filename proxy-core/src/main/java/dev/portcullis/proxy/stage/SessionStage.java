package dev.portcullis.proxy.stage;

import dev.portcullis.proxy.signin.CurrentSession;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the session the request carries, renewing it when its provider tokens are due (the renewed
 * cookie goes out with the answer). A tampered, expired, foreign or revoked session, or a lookup
 * that failed, is no session: never an error page.
 */
final class SessionStage implements Stage {
    @Override
    public CompletionStage<Step> apply(Exchange exchange) {
        CompletionStage<CurrentSession> current;
        // a renewal calls the identity provider: its span is a child of this request's
        try (Scope traced = exchange.trace().makeCurrent()) {
            current = exchange.snapshot().signIn().sessions().current(exchange.credentials());
        } catch (RuntimeException e) {
            current = CompletableFuture.completedFuture(CurrentSession.NONE);
        }
        return exchange.resumed(current).handle((found, failure) -> {
            CurrentSession session = failure == null && found != null ? found : CurrentSession.NONE;
            session.session().ifPresent(exchange::session);
            exchange.responseCookies(session.setCookies());
            return Step.NEXT;
        });
    }
}
