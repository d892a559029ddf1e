package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.RenewedSessions;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest renewal of each session, shared by every replica on one Redis: the replica that renewed a session
 * with the identity provider leaves the result here, and a request still carrying the old cookie gets it on any
 * replica instead of renewing again.
 *
 * <p><b>Never in clear.</b> A session holds the provider's tokens (ID, access and refresh token), so it is stored
 * sealed with the cookie secret for {@link Purpose#SHARED_RENEWAL} (AES-256-GCM, a key of its own): Redis, its
 * backups and anyone who can read them see only the session's expiry and renewal times. A stored value is never
 * accepted as a cookie, nor a cookie as a stored value. A value that does not open — tampered, sealed with another
 * cookie secret (replicas must share theirs), filed under another session's key, expired — is read as "no renewal
 * known"; the first such value is logged as a warning, later ones at debug, never with the value or the key.
 *
 * <p><b>Keys:</b> {@code {keyPrefix}{sessionId}}, e.g. {@code portcullis:renewed:Zq3…}, holding
 * {@code "{expiresAtMs} {refreshDueAtMs or 0} {sealed session}"} and expiring at the session's {@code expiresAt}
 * ({@code PXAT}): nothing outlives the session it renews. <b>When two replicas race</b>, the later renewal wins: one
 * Lua script keeps the stored value unless the new one expires later, or expires at the same moment and is due for
 * its next renewal later (a renewal keeps the session's times and moves {@code refreshDueAt} on); on a tie the stored
 * value stays, as both are equally recent. A stored value the script cannot read is replaced.
 *
 * <p><b>Fails:</b> when Redis cannot answer, the stage completes with {@link StoreUnavailable} (renewal is not what
 * keeps anyone out; the caller serves the session as it is). Redis's {@code maxmemory} is the bound (about 1–3 KB
 * per session with its tokens); a Redis that loses its data forgets the renewals, and the next request with an old
 * cookie renews once more.
 */
public final class RedisRenewedSessions implements RenewedSessions {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRenewedSessions.class);

    /**
     * Stores the renewal unless the stored one is at least as recent. KEYS: the session's key; ARGV: expiresAt ms,
     * refreshDueAt ms (0 for none), the sealed session. Returns 'stored' or 'kept'.
     */
    private static final String REMEMBER_LATER = """
            local expires, due = tonumber(ARGV[1]), tonumber(ARGV[2])
            local current = redis.call('GET', KEYS[1])
            if current then
              local e, d = string.match(current, '^(%d+) (%d+) ')
              if e and (tonumber(e) > expires or (tonumber(e) == expires and tonumber(d) >= due)) then
                return 'kept'
              end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[3], 'PXAT', math.max(1, expires))
            return 'stored'
            """;

    private final RedisStoreConnection redis;
    private final String keyPrefix;
    private final SessionSealer sealer;
    private final Clock clock;
    private final AtomicBoolean warnedUnreadable = new AtomicBoolean();

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix put before every session id, e.g. {@code portcullis:renewed:}; not empty
     * @param sealer    the sealer of the cookie secret, which every replica shares
     * @param clock     tells which renewals have expired
     */
    public RedisRenewedSessions(RedisStoreConnection redis, String keyPrefix, SessionSealer sealer, Clock clock) {
        this.redis = requireNonNull(redis, "redis");
        this.keyPrefix = KeyPrefix.checked(keyPrefix);
        this.sealer = requireNonNull(sealer, "sealer");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Optional<Session>> latest(String sessionId) {
        requireNonNull(sessionId, "sessionId");
        return redis.get(keyPrefix + sessionId).thenApply(stored -> stored.flatMap(value -> opened(sessionId, value)));
    }

    @Override
    public CompletionStage<Void> remember(Session renewed) {
        requireNonNull(renewed, "renewed");
        String sealed = sealer.seal(renewed, Purpose.SHARED_RENEWAL);
        return redis.run(REMEMBER_LATER, new String[] {keyPrefix + renewed.sessionId()},
                        Long.toString(renewed.expiresAt().toEpochMilli()),
                        Long.toString(renewed.refreshDueAt().map(Instant::toEpochMilli).orElse(0L)), sealed)
                .thenApply(answer -> null);
    }

    /** The session sealed in a stored {@code "{expires} {due} {sealed}"} value, if it opens and is {@code sessionId}'s. */
    private Optional<Session> opened(String sessionId, String value) {
        int afterExpiry = value.indexOf(' ');
        int afterDue = afterExpiry < 0 ? -1 : value.indexOf(' ', afterExpiry + 1);
        Optional<Session> session = afterDue < 0 ? Optional.empty()
                : sealer.unseal(value.substring(afterDue + 1), Purpose.SHARED_RENEWAL, clock.instant())
                        .filter(s -> s.sessionId().equals(sessionId));
        if (session.isEmpty()) {
            if (warnedUnreadable.compareAndSet(false, true)) {
                LOG.warn("a renewed session stored in Redis did not open (tampered, sealed with another cookie secret,"
                        + " filed under another session, or expired): ignored, the session is renewed again when due;"
                        + " further ones are logged at debug");
            } else {
                LOG.debug("a renewed session stored in Redis did not open: ignored");
            }
        }
        return session;
    }
}
