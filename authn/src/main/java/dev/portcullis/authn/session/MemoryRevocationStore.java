package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The revocation store of a single proxy process: revocations are lost on restart and not shared
 * between replicas (the Redis store does that).
 *
 * <p>Every answer is complete when returned, and never fails. Reads never block (they are {@code ConcurrentHashMap} lookups) and the class is thread-safe.
 * An entry is forgotten once its {@code until} has passed, since the session it names has expired by
 * then; expired entries are pruned on write. <b>Memory bound:</b> at most {@code maxEntries} session
 * ids and {@code maxEntries} users (about 200 bytes each: {@value #DEFAULT_MAX_ENTRIES} of each is
 * about 40 MB). Past the bound the revocations that end soonest are dropped first, which can only
 * happen when more sessions were revoked within one {@code cookie_expire} than the bound allows.
 */
public final class MemoryRevocationStore implements RevocationStore {

    /** The default bound of each kind of entry. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletionStage<Boolean> REVOKED = CompletableFuture.completedFuture(true);
    private static final CompletionStage<Boolean> NOT_REVOKED = CompletableFuture.completedFuture(false);

    private record UserRevocation(Instant issuedBefore, Instant until) {
        UserRevocation laterOf(UserRevocation other) {
            return new UserRevocation(later(issuedBefore, other.issuedBefore), later(until, other.until));
        }
    }

    private final ExpiringEntries<Instant> sessions;
    private final ExpiringEntries<UserRevocation> users;

    /** A store with the system clock (used for pruning) and {@link #DEFAULT_MAX_ENTRIES}. */
    public MemoryRevocationStore() {
        this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
    }

    /**
     * @param clock      tells the writers which entries have expired and may be pruned
     * @param maxEntries the bound of session ids, and separately of users; at least 1
     */
    public MemoryRevocationStore(Clock clock, int maxEntries) {
        requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
        this.sessions = new ExpiringEntries<>(until -> until, MemoryRevocationStore::later, maxEntries, clock);
        this.users = new ExpiringEntries<>(UserRevocation::until, UserRevocation::laterOf, maxEntries, clock);
    }

    @Override
    public CompletionStage<Void> revoke(String sessionId, Instant until) {
        requireNonNull(sessionId, "sessionId");
        sessions.put(sessionId, requireNonNull(until, "until"));
        return DONE;
    }

    @Override
    public CompletionStage<Boolean> isRevoked(String sessionId, Instant now) {
        Instant until = sessions.get(requireNonNull(sessionId, "sessionId"));
        return answer(until != null && now.isBefore(until));
    }

    @Override
    public CompletionStage<Void> revokeUser(String userId, Instant issuedBefore, Instant until) {
        requireNonNull(userId, "userId");
        users.put(userId, new UserRevocation(requireNonNull(issuedBefore, "issuedBefore"),
                requireNonNull(until, "until")));
        return DONE;
    }

    @Override
    public CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now) {
        UserRevocation revocation = users.get(requireNonNull(userId, "userId"));
        return answer(revocation != null && now.isBefore(revocation.until())
                && issuedAt.isBefore(revocation.issuedBefore()));
    }

    private static CompletionStage<Boolean> answer(boolean revoked) {
        return revoked ? REVOKED : NOT_REVOKED;
    }

    /** How many session ids and users are remembered (expired ones until the next prune). */
    int size() {
        return sessions.size() + users.size();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
