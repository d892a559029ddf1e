package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RenewedSessions} of a single proxy process; every answer is complete when returned
 * and never fails. <b>Memory bound:</b> at most {@code maxEntries} sessions; when full, expired ones
 * are swept, and if none had expired the renewal is not remembered (its old cookie is then renewed
 * once more when used, nothing worse).
 */
public final class MemoryRenewedSessions implements RenewedSessions {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Map<String, Session> renewed = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;

    /**
     * @param clock      tells which sessions have expired
     * @param maxEntries how many sessions are remembered at most; at least 1
     */
    public MemoryRenewedSessions(Clock clock, int maxEntries) {
        this.clock = requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public CompletionStage<Optional<Session>> latest(String sessionId) {
        Session session = renewed.get(requireNonNull(sessionId, "sessionId"));
        return CompletableFuture.completedFuture(
                Optional.ofNullable(session).filter(s -> !s.isExpiredAt(clock.instant())));
    }

    @Override
    public CompletionStage<Void> remember(Session session) {
        requireNonNull(session, "session");
        if (renewed.size() >= maxEntries) {
            renewed.values().removeIf(s -> s.isExpiredAt(clock.instant()));
        }
        if (renewed.size() < maxEntries || renewed.containsKey(session.sessionId())) {
            renewed.put(session.sessionId(), session);
        }
        return DONE;
    }
}
