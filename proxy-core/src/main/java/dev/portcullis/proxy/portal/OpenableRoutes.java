package dev.portcullis.proxy.portal;

import dev.portcullis.authn.session.Session;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The routes one request's signed-in person may open: what the portal lists. */
@FunctionalInterface
public interface OpenableRoutes {
    /** None: for requests that never show the portal. */
    OpenableRoutes NONE = session -> java.util.concurrent.CompletableFuture.completedFuture(List.of());

    /** The routes {@code session}'s person may open, in declaration order; a failed check leaves its route out. */
    CompletionStage<List<PortalRoute>> forSession(Session session);
}
