package dev.portcullis.authn.store;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.MemoryRevocationStore;
import dev.portcullis.authn.session.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's local view of the revocations in a store that replicas share (Redis, PostgreSQL): what a signed-in
 * request is decided from, at once and without a round trip. The store keeps it current with the messages its
 * writes publish ({@link #apply}) and a catch-up each time its subscription is (re)established ({@link #subscribed}),
 * so revocations made by other replicas while this one was cut off are seen once it is back. Revocations only ever
 * grow (each keeps the later of its times), so a message and a catch-up may arrive in any order.
 *
 * <p><b>A replica that starts does not answer from an empty view</b>: a session's revocation is answered only once
 * the view has been filled from the store and its data-loss check has answered, or {@link #FIRST_SYNC_WAIT} after
 * start when the store is unreachable (existing sessions are then served with the empty view, as the proxy must
 * start without its store). Sessions issued before a loss of the store's data are revoked ({@link LostRevocations}).
 *
 * <p>Messages: {@code "session {untilMs} {id}"}, {@code "user {issuedBeforeMs} {untilMs} {userId}"} and
 * {@code "lost {ms}"}. Thread-safe; never blocks.
 */
public final class SharedRevocationView {
    /** The longest a replica that starts waits for its first view of the store before answering from what it has. */
    public static final Duration FIRST_SYNC_WAIT = Duration.ofSeconds(2);
    /** What a message announcing a noticed loss starts with, before the instant in epoch ms. */
    public static final String LOST_MESSAGE = "lost ";
    private static final Duration CATCH_UP_RETRY = Duration.ofSeconds(1);
    private static final CompletionStage<Boolean> REVOKED = CompletableFuture.completedFuture(true);
    private static final Logger LOG = LoggerFactory.getLogger(SharedRevocationView.class);

    /** Every revocation that has not ended in the store, and the loss it records (empty: none that matters). */
    public record Snapshot(Map<String, Instant> sessions, Map<String, UserRevocation> users, Optional<Instant> lostBefore) {
        public Snapshot {
            sessions = Map.copyOf(sessions);
            users = Map.copyOf(users);
            requireNonNull(lostBefore, "lostBefore");
        }
    }

    /** Every session of a user issued before {@code issuedBefore} is revoked until {@code until}. */
    public record UserRevocation(Instant issuedBefore, Instant until) {}

    private final String store;
    private final MemoryRevocationStore view;
    private final LostRevocations lost;
    private final Supplier<CompletionStage<Snapshot>> readAll;
    private final BiConsumer<Duration, Runnable> later;
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
    private final CompletableFuture<Void> caughtUpOnce = new CompletableFuture<>();
    /** Catch-ups asked for since the running one started reading; 0 when none is running. */
    private final AtomicInteger catchUpsAsked = new AtomicInteger();

    /**
     * @param store      the store's name in log lines, e.g. {@code Redis}
     * @param maxEntries the bound of the view: session ids, and separately users (see {@link MemoryRevocationStore})
     * @param lost       the store's record of a loss of its data
     * @param readAll    reads every revocation from the store (a catch-up)
     * @param later      runs a task after a delay on the store's own threads
     */
    public SharedRevocationView(String store, int maxEntries, LostRevocations lost, Clock clock,
            Supplier<CompletionStage<Snapshot>> readAll, BiConsumer<Duration, Runnable> later) {
        this.store = requireNonNull(store, "store");
        this.view = new MemoryRevocationStore(requireNonNull(clock, "clock"), maxEntries);
        this.lost = requireNonNull(lost, "lost");
        this.readAll = requireNonNull(readAll, "readAll");
        this.later = requireNonNull(later, "later");
        later.accept(FIRST_SYNC_WAIT, () -> firstSync.complete(null));
    }

    /**
     * The store's subscription is in place (the first time, or again after a reconnect): catches up, and once the
     * catch-up and {@code lossCheck} have both answered the view is current.
     */
    public void subscribed(CompletionStage<?> lossCheck) {
        if (catchUpsAsked.getAndIncrement() == 0) {
            readEverything(false);
        }
        lossCheck.thenAcceptBoth(caughtUpOnce, (checked, caughtUp) -> firstSync.complete(null));
    }

    /** This replica stored a session's revocation: the view has it at once. */
    public CompletionStage<Void> revoked(String sessionId, Instant until) {
        return view.revoke(sessionId, until);
    }

    /** This replica stored a user's revocation: the view has it at once. */
    public CompletionStage<Void> revokedUser(String userId, Instant issuedBefore, Instant until) {
        return view.revokeUser(userId, issuedBefore, until);
    }

    public CompletionStage<Boolean> isRevoked(String sessionId, Instant now) {
        return view.isRevoked(sessionId, now);
    }

    public CompletionStage<Boolean> isUserRevoked(String userId, Instant issuedAt, Instant now) {
        return view.isUserRevoked(userId, issuedAt, now);
    }

    /** By its id, its provider session or its user, or because it was issued before a loss; only once current. */
    public CompletionStage<Boolean> isRevoked(Session session, Instant now) {
        if (!firstSync.isDone()) {
            return firstSync.thenCompose(synced -> isRevoked(session, now));
        }
        return lost.revokes(session, now) ? REVOKED : view.isRevoked(session, now);
    }

    /** A message the store's writes published; one this version cannot read is ignored with a warning. */
    public void apply(String message) {
        try {
            if (message.startsWith("session ")) {
                String[] parts = message.split(" ", 3);
                view.revoke(parts[2], Instant.ofEpochMilli(Long.parseLong(parts[1])));
            } else if (message.startsWith(LOST_MESSAGE)) {
                lost.noticedAt(Instant.ofEpochMilli(Long.parseLong(message.substring(LOST_MESSAGE.length()))));
            } else if (message.startsWith("user ")) {
                String[] parts = message.split(" ", 4);
                view.revokeUser(parts[3], Instant.ofEpochMilli(Long.parseLong(parts[1])),
                        Instant.ofEpochMilli(Long.parseLong(parts[2])));
            }
        } catch (RuntimeException e) {
            LOG.warn("Ignoring a revocation message from {} that this version cannot read ({})", store,
                    e.getClass().getSimpleName());
        }
    }

    /** Reads every revocation into the view; tries again every second until it succeeds, logging the first failure. */
    private void readEverything(boolean failedBefore) {
        int asked = catchUpsAsked.get();
        StoreUnavailable.asking(readAll).whenComplete((snapshot, failure) -> {
            if (failure != null) {
                if (!failedBefore) {
                    LOG.warn("Cannot catch up on revocations from {}, trying again every {}: {}", store, CATCH_UP_RETRY,
                            StoreUnavailable.describe(failure));
                }
                later.accept(CATCH_UP_RETRY, () -> readEverything(true));
                return;
            }
            snapshot.sessions().forEach(view::revoke);
            snapshot.users().forEach((user, revocation) -> view.revokeUser(user, revocation.issuedBefore(),
                    revocation.until()));
            snapshot.lostBefore().ifPresent(lost::noticedAt);
            caughtUpOnce.complete(null);
            if (failedBefore) {
                LOG.info("Caught up on revocations from {}", store);
            }
            if (!catchUpsAsked.compareAndSet(asked, 0)) {
                readEverything(false);
            }
        });
    }
}
