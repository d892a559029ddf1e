package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.LoginThrottle;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.builtin.ThrottledName;
import dev.portcullis.authn.store.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sign-in throttle of every replica on one Redis: failures on any replica add up to one lock for the account and
 * for the client address, a success on any replica forgets the account's failures everywhere, and attempts in flight
 * on every replica count towards the threshold. The rules are exactly {@link MemoryLoginThrottle}'s (threshold,
 * window, doubling delays up to the longest lock, what a success and a finished attempt forget); each step —
 * {@code begin}, {@code failed}, {@code succeeded}, {@code finished} — is one Lua script over the account's and the
 * address's keys, so replicas racing cannot both slip past the threshold.
 *
 * <p><b>Keys</b> ({@code {who}} is {@code account:{email lower-cased}} or {@code address:{address}}):
 * {@code {keyPrefix}failures:{who}}, a hash of the failures {@code f}, the last failure {@code l} and the lock's end
 * {@code u} (epoch ms), expiring when both the window after the last failure and the lock have passed, when it would
 * count for nothing anyway; and {@code {keyPrefix}in-flight:{who}}, a sorted set of the attempts in flight, each
 * scored with the moment it stops counting ({@link #IN_FLIGHT_LIFETIME} after its {@code begin}; an attempt whose
 * replica stopped before ending it counts no longer), the key expiring with its last attempt. The scripts take the
 * time from this throttle's {@code clock}, as the memory throttle does; replicas' clocks should agree.
 *
 * <p><b>Fails closed:</b> when Redis cannot answer, every stage completes with {@link StoreUnavailable}: a
 * {@code begin} that fails means the attempt is not checked. One WARN line is logged, by the replica that recorded
 * it, when an account or address becomes locked; never a password. The four keys of a step live in different hash
 * slots: this needs one Redis (or Sentinel), not Redis Cluster. Unlike the memory throttle there is no count of
 * counters of its own: Redis's {@code maxmemory} is the bound, with the {@code noeviction} policy (an evicting one
 * could forget failures and let guessing go on unthrottled). A Redis that loses its data forgets every counter.
 */
public final class RedisLoginThrottle implements LoginThrottle {
    /** How long an attempt counts as in flight at most, should its replica never end it. */
    static final Duration IN_FLIGHT_LIFETIME = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    /**
     * What every script shares. KEYS: account failures, account in flight, address failures, address in flight;
     * ARGV: now ms, threshold, window ms, first delay ms, max delay ms, then the script's own.
     */
    private static final String RULES = """
            local now, threshold, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local firstDelay, maxDelay = tonumber(ARGV[4]), tonumber(ARGV[5])
            local function inFlight(key)
              redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
              return redis.call('ZCARD', key)
            end
            local function counter(key)
              local c = redis.call('HMGET', key, 'f', 'l', 'u')
              local f, l, u = tonumber(c[1]) or 0, tonumber(c[2]) or 0, tonumber(c[3]) or 0
              if l + window <= now then f = 0 end
              return f, l, u
            end
            local function endOne(key)
              inFlight(key)
              redis.call('ZPOPMIN', key)
            end
            """;

    /** The wait in ms ('0': the attempt is in flight now). ARGV[6]: the attempt's id, ARGV[7]: it counts until ms. */
    private static final String BEGIN = RULES + """
            local function wait(failures, attempts)
              local f, l, u = counter(failures)
              if u > now then return u - now end
              local n = inFlight(attempts)
              -- One attempt at a time once the next failure would lock: it cannot race past the lock.
              if n > 0 and f + n >= threshold then return firstDelay end
              return 0
            end
            local w = math.max(wait(KEYS[1], KEYS[2]), wait(KEYS[3], KEYS[4]))
            if w > 0 then return string.format('%d', w) end
            local untilMs = tonumber(ARGV[7])
            for _, key in ipairs({KEYS[2], KEYS[4]}) do
              redis.call('ZADD', key, ARGV[7], ARGV[6])
              local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
              redis.call('PEXPIREAT', key, string.format('%d', math.max(untilMs, tonumber(last[2]))))
            end
            return '0'
            """;

    /** One more failure for both; returns "{accountFailures} {accountLockMs} {addressFailures} {addressLockMs}". */
    private static final String FAILED = RULES + """
            local function fail(failures, attempts)
              endOne(attempts)
              local f, l, u = counter(failures)
              f, l = f + 1, now
              if f >= threshold then
                u = now + math.min(firstDelay * 2 ^ math.min(f - threshold, 30), maxDelay)
              end
              redis.call('HSET', failures, 'f', f, 'l', string.format('%d', l), 'u', string.format('%d', u))
              redis.call('PEXPIREAT', failures, string.format('%d', math.max(l + window, u)))
              return string.format('%d %d', f, math.max(0, u - now))
            end
            return fail(KEYS[1], KEYS[2]) .. ' ' .. fail(KEYS[3], KEYS[4])
            """;

    /** The account's failures and attempts forgotten, one attempt of the address ended. */
    private static final String SUCCEEDED = RULES + """
            redis.call('DEL', KEYS[1], KEYS[2])
            endOne(KEYS[4])
            return 'OK'
            """;

    /** One attempt of each ended. */
    private static final String FINISHED = RULES + """
            endOne(KEYS[2])
            endOne(KEYS[4])
            return 'OK'
            """;

    private final RedisStoreConnection redis;
    private final String failureKeys;
    private final String inFlightKeys;
    private final Clock clock;

    /**
     * @param redis     the process's connection to Redis
     * @param keyPrefix put before every key, e.g. {@code portcullis:throttle:}; not empty
     * @param clock     the time the rules are applied at (the system's outside tests)
     */
    public RedisLoginThrottle(RedisStoreConnection redis, String keyPrefix, Clock clock) {
        this.redis = requireNonNull(redis, "redis");
        this.failureKeys = KeyPrefix.checked(keyPrefix) + "failures:";
        this.inFlightKeys = keyPrefix + "in-flight:";
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Optional<Duration>> begin(String email, String address) {
        byte[] id = new byte[12];
        NonBlockingRandom.get().nextBytes(id);
        long now = clock.millis();
        return ask(BEGIN, email, address, now, HexFormat.of().formatHex(id),
                        Long.toString(now + IN_FLIGHT_LIFETIME.toMillis()))
                .thenApply(wait -> {
                    long ms = Long.parseLong(wait);
                    return ms > 0 ? Optional.of(Duration.ofMillis(ms)) : Optional.empty();
                });
    }

    @Override
    public CompletionStage<Void> failed(String email, String address) {
        return ask(FAILED, email, address, clock.millis()).thenAccept(counted -> {
            String[] parts = counted.split(" ");
            logIfLocked("account " + ThrottledName.printable(email), parts[0], parts[1]);
            logIfLocked("client address " + ThrottledName.printable(address), parts[2], parts[3]);
        });
    }

    @Override
    public CompletionStage<Void> succeeded(String email, String address) {
        return ask(SUCCEEDED, email, address, clock.millis()).thenAccept(ok -> {});
    }

    @Override
    public CompletionStage<Void> finished(String email, String address) {
        return ask(FINISHED, email, address, clock.millis()).thenAccept(ok -> {});
    }

    private CompletionStage<String> ask(String script, String email, String address, long now, String... more) {
        String account = "account:" + BuiltinUser.normalize(requireNonNull(email, "email"));
        String client = "address:" + requireNonNull(address, "address");
        String[] keys = {failureKeys + account, inFlightKeys + account, failureKeys + client, inFlightKeys + client};
        String[] arguments = new String[5 + more.length];
        arguments[0] = Long.toString(now);
        arguments[1] = Integer.toString(MemoryLoginThrottle.THRESHOLD);
        arguments[2] = Long.toString(MemoryLoginThrottle.WINDOW.toMillis());
        arguments[3] = Long.toString(MemoryLoginThrottle.FIRST_DELAY.toMillis());
        arguments[4] = Long.toString(MemoryLoginThrottle.MAX_DELAY.toMillis());
        System.arraycopy(more, 0, arguments, 5, more.length);
        return redis.run(script, keys, arguments);
    }

    private static void logIfLocked(String who, String failures, String lockMs) {
        if (Integer.parseInt(failures) == MemoryLoginThrottle.THRESHOLD) {
            LOG.warn("sign-in throttled: {} had {} failed attempts within {} minutes; locked for {} s, doubling with"
                    + " each further failure up to {} minutes", who, MemoryLoginThrottle.THRESHOLD,
                    MemoryLoginThrottle.WINDOW.toMinutes(), Duration.ofMillis(Long.parseLong(lockMs)).toSeconds(),
                    MemoryLoginThrottle.MAX_DELAY.toMinutes());
        }
    }

    /** {@code value} without control characters and cut short, so a made-up email cannot forge log lines. */
}
